package io.transferlab.commons.security;

import io.transferlab.contracts.Requester;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One configured key: a name for logs and ownership (the gateway records it as the owner of the runs, studies and
 * models the key submits), the SHA-256 of the key (hex, lower case) and its roles.
 * Line format: {@code name:sha256-hex:role+role}.
 */
public record ApiKey(String name, String sha256, Set<String> roles) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /**
     * @param knownRoles the roles the service knows; any other role is an error
     * @throws IllegalArgumentException saying what is wrong with the line (never echoing a would-be key)
     */
    public static ApiKey parse(String line, Set<String> knownRoles) {
        String[] parts = line.trim().split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("an API key entry must read name:sha256-hex:role+role, found "
                    + parts.length + " ':'-separated part(s)");
        }
        String name = parts[0].trim();
        String hash = parts[1].trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an API key entry has an empty name");
        }
        // The name travels in train requests as their owner, which the contract limits (refused here, at start or
        // reload, rather than as a puzzling 400 on every training the key submits).
        if (name.length() > Requester.MAX_KEY_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("an API key name must be at most " + Requester.MAX_KEY_NAME_LENGTH
                    + " characters without control characters (it is recorded as the owner of what the key submits)");
        }
        if (!HEX64.matcher(hash).matches()) {
            throw new IllegalArgumentException("API key '" + name + "': the hash must be 64 hex digits (SHA-256)");
        }
        Set<String> roles = new TreeSet<>();
        for (String role : parts[2].split("\\+")) {
            String r = role.trim();
            if (!knownRoles.contains(r)) {
                throw new IllegalArgumentException("API key '" + name + "': unknown role '" + r + "' (roles are "
                        + String.join(", ", new TreeSet<>(knownRoles)) + ")");
            }
            roles.add(r);
        }
        return new ApiKey(name, hash, Set.copyOf(roles));
    }
}
