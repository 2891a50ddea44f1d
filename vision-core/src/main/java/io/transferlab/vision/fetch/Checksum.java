package io.transferlab.vision.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An expected digest of a file: the whole hex digest, or its leading part where that is all a publisher gives
 * (torchvision's file names carry the first 8 hex digits of the SHA-256, as {@code torch.hub} checks them).
 *
 * @param algorithm {@code SHA-256} or {@code MD5}
 * @param hexPrefix the expected digest or its first characters, lower-case hex
 */
public record Checksum(String algorithm, String hexPrefix) {

    public Checksum {
        hexPrefix = hexPrefix.toLowerCase(Locale.ROOT);
        if (hexPrefix.length() < 8 || !hexPrefix.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("a checksum needs at least 8 hex digits: " + hexPrefix);
        }
        newDigest(algorithm);
    }

    public static Checksum sha256Prefix(String hex) {
        return new Checksum("SHA-256", hex);
    }

    public static Checksum md5(String hex) {
        return new Checksum("MD5", hex);
    }

    public MessageDigest newDigest() {
        return newDigest(algorithm);
    }

    public boolean matches(String actualHex) {
        return actualHex.startsWith(hexPrefix);
    }

    /** The file's full hex digest with this checksum's algorithm. */
    public String digest(Path file) throws IOException {
        MessageDigest md = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public String toString() {
        return algorithm + " " + hexPrefix + (algorithm.equals("SHA-256") && hexPrefix.length() < 64 ? "..." : "");
    }

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unknown digest " + algorithm, e);
        }
    }
}
