package io.transferlab.commons.security;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One configured key: a name for logs, the SHA-256 of the key (hex, lower case) and its roles.
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
