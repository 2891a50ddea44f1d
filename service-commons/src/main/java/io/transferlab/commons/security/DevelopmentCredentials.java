package io.transferlab.commons.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The publicly known credentials of the development setup (the README's API key, the default passwords of the local
 * stack, docker-compose and the Kubernetes dev overlay). A service in the prod profile refuses to start with any of
 * them ({@link DevelopmentCredentialsCheck}); everyone who has read the README knows them.
 */
public final class DevelopmentCredentials {

    /** The README's development API key (roles classify and train on the local stack). */
    public static final String DEVELOPMENT_API_KEY = "transferlab-dev-key";
    /** Default passwords that ship in the repository. */
    public static final List<String> DEFAULT_PASSWORDS = List.of("transferlab", "change-me");

    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

    private DevelopmentCredentials() {
    }

    /** The SHA-256 (hex) of the development key, as it appears in key configuration. */
    public static String developmentKeyHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(DEVELOPMENT_API_KEY.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public static boolean isDevelopmentKeyHash(String sha256Hex) {
        return sha256Hex != null && developmentKeyHash().equalsIgnoreCase(sha256Hex.strip());
    }

    public static boolean isDefaultPassword(String password) {
        return password != null && DEFAULT_PASSWORDS.contains(password.strip());
    }

    /** The password of a JAAS line ({@code ... password="..."}), if it has one. */
    public static Optional<String> jaasPassword(String jaasConfig) {
        if (jaasConfig == null) {
            return Optional.empty();
        }
        Matcher m = JAAS_PASSWORD.matcher(jaasConfig);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
