package io.transferlab.vision.image;

/** The formats we accept, recognised by their first bytes rather than by what a client claims. */
public enum ImageFormat {
    JPEG("jpeg", new int[] {0xFF, 0xD8, 0xFF}),
    PNG("png", new int[] {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});

    private final String readerName;
    private final int[] magic;

    ImageFormat(String readerName, int[] magic) {
        this.readerName = readerName;
        this.magic = magic;
    }

    /** The ImageIO format name of the reader for this format. */
    public String readerName() {
        return readerName;
    }

    /** The format whose magic number starts {@code bytes}, or null for anything else. */
    public static ImageFormat detect(byte[] bytes) {
        for (ImageFormat f : values()) {
            if (f.matches(bytes)) {
                return f;
            }
        }
        return null;
    }

    private boolean matches(byte[] bytes) {
        if (bytes == null || bytes.length < magic.length) {
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
