package io.transferlab.vision.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest a card's {@code weightsSha256} holds, in one place because two sides must agree on it:
 * {@link VersionWriter} computes it while writing the weights, {@link ModelLoader} while reading them back.
 */
final class WeightsDigest {

    private WeightsDigest() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest as the card stores it: lower-case hex. */
    static String hex(MessageDigest sha) {
        return HexFormat.of().formatHex(sha.digest());
    }
}
