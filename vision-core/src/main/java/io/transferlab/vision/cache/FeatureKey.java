package io.transferlab.vision.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What frozen features depend on: the backbone's weights, the preprocessing, the image side and the exact images
 * (their pixels' digest). Two trials that agree on all four share an entry.
 */
public record FeatureKey(String backbone, String preprocessing, int imageSize, String images) {

    /** File-name-safe digest of the key. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String text = "v1|" + backbone + "|" + preprocessing + "|" + imageSize + "|" + images;
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
