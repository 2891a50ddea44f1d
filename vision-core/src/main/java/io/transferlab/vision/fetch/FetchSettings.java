package io.transferlab.vision.fetch;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where files that are fetched on first use come from, and the rules for fetching them. Every address is
 * configuration: an air-gapped site sets {@code TRANSFERLAB_MIRROR_URL} to an internal HTTP server holding the
 * same files under their own names (e.g. {@code <mirror>/resnet50-0676ba61.pth},
 * {@code <mirror>/cifar-10-binary.tar.gz}), or sets each source separately; {@code TRANSFERLAB_OFFLINE=true}
 * forbids downloads altogether (a missing file is then an error that names it, its address and these settings).
 *
 * @param offline never download
 * @param mirrorUrl base URL that replaces every default source, or null
 * @param weightsBaseUrl base URL of torchvision's checkpoints ({@code <base>/<file>.pth}), or null for the default
 *        (the mirror, else {@link #TORCHVISION_URL})
 * @param cifar10Url the CIFAR-10 binary archive's URL, or null for the default
 * @param maxBytes no download may be larger
 * @param attempts tries per download (a broken transfer resumes where it stopped)
 * @param firstBackoff wait after the first failed try; doubles after each
 * @param checkpointFiles per architecture, another torchvision checkpoint than IMAGENET1K_V1, named as torchvision
 *        names them ({@code <arch>-<first 8 hex digits of its SHA-256>.pth}, e.g. {@code resnet50-11ad3fa6.pth}
 *        for IMAGENET1K_V2); {@code TRANSFERLAB_IMAGENET_CHECKPOINTS=resnet50=resnet50-11ad3fa6.pth,...}
 */
public record FetchSettings(boolean offline, String mirrorUrl, String weightsBaseUrl, String cifar10Url,
        long maxBytes, int attempts, Duration firstBackoff, Map<String, String> checkpointFiles) {

    public static final String ENV_OFFLINE = "TRANSFERLAB_OFFLINE";
    public static final String ENV_MIRROR_URL = "TRANSFERLAB_MIRROR_URL";
    public static final String ENV_WEIGHTS_BASE_URL = "TRANSFERLAB_WEIGHTS_BASE_URL";
    public static final String ENV_CIFAR10_URL = "TRANSFERLAB_CIFAR10_URL";
    public static final String ENV_MAX_BYTES = "TRANSFERLAB_DOWNLOAD_MAX_BYTES";
    public static final String ENV_CHECKPOINTS = "TRANSFERLAB_IMAGENET_CHECKPOINTS";

    /** Where torchvision itself downloads its ImageNet checkpoints from. */
    public static final String TORCHVISION_URL = "https://download.pytorch.org/models/";
    /** The CIFAR-10 site's binary version. */
    public static final String CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    /** VGG16's checkpoint, the largest file fetched, is 528 MiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    public FetchSettings {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be >= 1");
        }
        Objects.requireNonNull(firstBackoff, "firstBackoff");
        checkpointFiles = Map.copyOf(checkpointFiles);
        checkpointFiles.forEach((arch, file) -> {
            if (!file.matches(java.util.regex.Pattern.quote(arch) + "-[0-9a-f]{8,64}\\.pth")) {
                throw new IllegalArgumentException(ENV_CHECKPOINTS + ": " + arch + "=" + file + " is not named "
                        + arch + "-<SHA-256 prefix>.pth");
            }
        });
        for (String url : new String[] {mirrorUrl, weightsBaseUrl, cifar10Url}) {
            if (url != null) {
                URI uri = URI.create(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("not an http(s) URL: " + url);
                }
            }
        }
    }

    /** Online, from the official sources, 1 GiB at most per file, 4 tries starting 2 s apart. */
    public static FetchSettings defaults() {
        return new FetchSettings(false, null, null, null, DEFAULT_MAX_BYTES, 4, Duration.ofSeconds(2), Map.of());
    }

    public static FetchSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static FetchSettings fromEnvironment(Map<String, String> env) {
        FetchSettings d = defaults();
        return new FetchSettings(
                "true".equalsIgnoreCase(blankToNull(env.get(ENV_OFFLINE))),
                blankToNull(env.get(ENV_MIRROR_URL)),
                blankToNull(env.get(ENV_WEIGHTS_BASE_URL)),
                blankToNull(env.get(ENV_CIFAR10_URL)),
                blankToNull(env.get(ENV_MAX_BYTES)) == null ? d.maxBytes()
                        : Long.parseLong(env.get(ENV_MAX_BYTES).trim()),
                d.attempts(), d.firstBackoff(), parseCheckpoints(blankToNull(env.get(ENV_CHECKPOINTS))));
    }

    private static Map<String, String> parseCheckpoints(String value) {
        Map<String, String> files = new java.util.HashMap<>();
        if (value != null) {
            for (String pair : value.split(",")) {
                String[] kv = pair.trim().split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException(ENV_CHECKPOINTS + ": expected arch=file, got " + pair);
                }
                files.put(kv[0].trim(), kv[1].trim());
            }
        }
        return files;
    }

    public FetchSettings withOffline(boolean value) {
        return new FetchSettings(value, mirrorUrl, weightsBaseUrl, cifar10Url, maxBytes, attempts, firstBackoff,
                checkpointFiles);
    }

    public FetchSettings withMirrorUrl(String value) {
        return new FetchSettings(offline, value, weightsBaseUrl, cifar10Url, maxBytes, attempts, firstBackoff,
                checkpointFiles);
    }

    /** The URL of a torchvision checkpoint file: the explicit weights source, else the mirror, else torchvision. */
    public String weightsUrl(String fileName) {
        String base = weightsBaseUrl != null ? weightsBaseUrl : mirrorUrl != null ? mirrorUrl : TORCHVISION_URL;
        return join(base, fileName);
    }

    /** The CIFAR-10 archive's URL: the explicit one, else {@code <mirror>/cifar-10-binary.tar.gz}, else the site. */
    public String cifar10Url() {
        if (cifar10Url != null) {
            return cifar10Url;
        }
        return mirrorUrl != null ? join(mirrorUrl, "cifar-10-binary.tar.gz") : CIFAR10_URL;
    }

    /** One sentence for error messages: which settings choose the source or allow the download. */
    public String describe() {
        return (offline ? ENV_OFFLINE + "=true forbids downloads; " : "") + "sources are set by " + ENV_MIRROR_URL
                + (mirrorUrl == null ? " (unset)" : "=" + mirrorUrl) + ", " + ENV_WEIGHTS_BASE_URL + " and "
                + ENV_CIFAR10_URL;
    }

    private static String join(String base, String fileName) {
        return base.endsWith("/") ? base + fileName : base + "/" + fileName;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
