package io.transferlab.vision.fetch;

import java.util.Objects;

/**
 * A file to fetch on first use.
 *
 * @param fileName its name in the cache directory
 * @param url where it is downloaded from
 * @param checksum what its bytes must hash to; nothing else is ever put in place
 */
public record RemoteFile(String fileName, String url, Checksum checksum) {

    public RemoteFile {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(checksum, "checksum");
        if (fileName.isEmpty() || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("a cached file needs a plain name: " + fileName);
        }
    }
}
