package io.transferlab.contracts.image;

/**
 * The image formats the system accepts, recognised by their first bytes (magic numbers) rather than by what a client
 * claims: the gateway sniffs uploads with it, vision-core picks its decoder by it.
 */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg", "jpeg", new int[] {0xFF, 0xD8, 0xFF}),
    PNG("image/png", "png", "png", new int[] {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});

    private final String mediaType;
    private final String extension;
    private final String readerName;
    private final int[] magic;

    ImageFormat(String mediaType, String extension, String readerName, int[] magic) {
        this.mediaType = mediaType;
        this.extension = extension;
        this.readerName = readerName;
        this.magic = magic;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    /** The ImageIO format name of the reader for this format. */
    public String readerName() {
        return readerName;
    }

    /** The format whose magic number starts {@code bytes}, or null for anything else. */
    public static ImageFormat detect(byte[] bytes) {
        return bytes == null ? null : detect(bytes, bytes.length);
    }

    /** The format whose magic number starts the first {@code length} bytes of {@code bytes}, or null. */
    public static ImageFormat detect(byte[] bytes, int length) {
        for (ImageFormat f : values()) {
            if (f.matches(bytes, length)) {
                return f;
            }
        }
        return null;
    }

    private boolean matches(byte[] bytes, int length) {
        if (bytes == null || Math.min(length, bytes.length) < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
