package io.transferlab.vision.data;

import ai.djl.ndarray.NDManager;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.vision.UnknownDatasetException;
import io.transferlab.vision.fetch.Checksum;
import io.transferlab.vision.fetch.FetchSettings;
import io.transferlab.vision.image.ImageDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds data sets in the data directory and loads them:
 * <ul>
 *   <li>{@code mnist/} and {@code fashion-mnist/}: IDX files {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 *   {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each plain or {@code .gz};</li>
 *   <li>{@code cifar10/}: {@code data_batch.bin} (the five batches concatenated) or {@code data_batch_1.bin} ..
 *   {@code data_batch_5.bin}, and {@code test_batch.bin}, directly or in {@code cifar-10-batches-bin/}; downloaded
 *   on first use unless downloads are off ({@link Cifar10Download});</li>
 *   <li>{@code dataset:<id>}: {@code uploads/<id>/} with {@code train/<class>/} and {@code test/<class>/} image
 *   folders, or class folders directly, in which case the last 20% of each class (by file name) is the test set.</li>
 * </ul>
 * Parsed sets are kept in memory (softly, on the Java heap) so trials of a study do not parse them again.
 */
public final class DatasetCatalog {

    public static final List<String> MNIST_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Side that images of uploaded folders are resized to when a run does not ask for a size. */
    public static final int DEFAULT_FOLDER_SIDE = 224;
    private static final double FOLDER_TEST_FRACTION = 0.2;
    private static final String FETCH_HINT = "run deploy/local/fetch-data (or set TRANSFERLAB_DATA_DIR to where the data is)";

    private final Path dataDir;
    private final ImageDecoder decoder;
    private final FetchSettings fetch;
    private final Checksum cifar10Checksum;
    private final Map<String, SoftReference<TrainTestData>> loaded = new ConcurrentHashMap<>();

    /** Downloads as the {@code TRANSFERLAB_OFFLINE} / {@code TRANSFERLAB_MIRROR_URL} / ... variables say. */
    public DatasetCatalog(Path dataDir, ImageDecoder decoder) {
        this(dataDir, decoder, FetchSettings.fromEnvironment());
    }

    /** @param fetch where CIFAR-10 is downloaded from on first use, or that it is not */
    public DatasetCatalog(Path dataDir, ImageDecoder decoder, FetchSettings fetch) {
        this(dataDir, decoder, fetch, Cifar10Download.PUBLISHED);
    }

    DatasetCatalog(Path dataDir, ImageDecoder decoder, FetchSettings fetch, Checksum cifar10Checksum) {
        this.dataDir = dataDir;
        this.decoder = decoder;
        this.fetch = fetch;
        this.cifar10Checksum = cifar10Checksum;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Loads a data set by its spec name. {@code folderSide} is the side uploaded images are resized to (null: 224);
     * the built-in sets keep their own size.
     */
    public TrainTestData load(String dataset, Integer folderSide) {
        if (dataset == null) {
            throw new UnknownDatasetException("no data set named");
        }
        int side = folderSide == null ? DEFAULT_FOLDER_SIDE : folderSide;
        String key = dataset.startsWith(RunSpec.DATASET_PREFIX) ? dataset + "@" + side : dataset;
        SoftReference<TrainTestData> ref = loaded.get(key);
        TrainTestData data = ref == null ? null : ref.get();
        if (data != null && dataset.startsWith(RunSpec.DATASET_PREFIX)
                && !Files.isDirectory(dataDir.resolve("uploads").resolve(
                        dataset.substring(RunSpec.DATASET_PREFIX.length())))) {
            // deleted (DELETE /api/v1/datasets/{id}) since it was read: runs must not train on a remembered copy
            loaded.remove(key);
            data = null;
        }
        if (data != null) {
            return data;
        }
        data = read(dataset, side);
        loaded.put(key, new SoftReference<>(data));
        return data;
    }

    private TrainTestData read(String dataset, int side) {
        try {
            switch (dataset) {
                case "mnist":
                    return idx(dataset, dataDir.resolve("mnist"), MNIST_CLASSES);
                case "fashion-mnist":
                    return idx(dataset, dataDir.resolve("fashion-mnist"), FASHION_MNIST_CLASSES);
                case "cifar10":
                    return cifar10();
                default:
                    if (dataset.startsWith(RunSpec.DATASET_PREFIX)) {
                        return folder(dataset, dataset.substring(RunSpec.DATASET_PREFIX.length()), side);
                    }
                    throw new UnknownDatasetException("unknown data set '" + dataset + "': use mnist, fashion-mnist, "
                            + "cifar10 or dataset:<id>");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data set " + dataset + ": " + e.getMessage(), e);
        }
    }

    private TrainTestData idx(String name, Path dir, List<String> classes) throws IOException {
        Path trainImages = idxFile(name, dir, "train-images-idx3-ubyte");
        Path trainLabels = idxFile(name, dir, "train-labels-idx1-ubyte");
        Path testImages = idxFile(name, dir, "t10k-images-idx3-ubyte");
        Path testLabels = idxFile(name, dir, "t10k-labels-idx1-ubyte");
        return new TrainTestData(name, IdxFiles.read(trainImages, trainLabels, classes),
                IdxFiles.read(testImages, testLabels, classes));
    }

    private static Path idxFile(String name, Path dir, String base) {
        for (String candidate : List.of(base, base + ".gz")) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new UnknownDatasetException("data set '" + name + "' is not installed: no " + base + " or " + base
                + ".gz in " + dir.toAbsolutePath() + "; " + FETCH_HINT);
    }

    private TrainTestData cifar10() throws IOException {
        try {
            return cifar10Installed();
        } catch (UnknownDatasetException missing) {
            // not there: fetch it on first use (or say why not), then read it as if it had been
            Cifar10Download.install(dataDir, fetch, cifar10Checksum, missing.getMessage());
            return cifar10Installed();
        }
    }

    private TrainTestData cifar10Installed() throws IOException {
        Path base = dataDir.resolve("cifar10");
        Path nested = base.resolve("cifar-10-batches-bin");
        Path dir = Files.isDirectory(nested) ? nested : base;
        List<Path> train = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("data_batch.bin"))) {
            train.add(dir.resolve("data_batch.bin"));
        } else {
            for (int i = 1; i <= 5; i++) {
                Path p = dir.resolve("data_batch_" + i + ".bin");
                if (Files.isRegularFile(p)) {
                    train.add(p);
                }
            }
        }
        Path test = dir.resolve("test_batch.bin");
        if (train.isEmpty() || !Files.isRegularFile(test)) {
            throw new UnknownDatasetException("data set 'cifar10' is not installed: expected data_batch.bin (or "
                    + "data_batch_1.bin .. data_batch_5.bin) and test_batch.bin in " + dir.toAbsolutePath()
                    + " (the binary version, cifar-10-binary.tar.gz from the CIFAR-10 site)");
        }
        return new TrainTestData("cifar10", Cifar10Files.read(train), Cifar10Files.read(List.of(test)));
    }

    private TrainTestData folder(String dataset, String id, int side) throws IOException {
        Path root = dataDir.resolve("uploads").resolve(id);
        if (!Files.isDirectory(root)) {
            throw new UnknownDatasetException("data set '" + dataset + "' has not been uploaded: no folder "
                    + root.toAbsolutePath());
        }
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Path trainDir = root.resolve("train");
            Path testDir = root.resolve("test");
            if (Files.isDirectory(trainDir) && Files.isDirectory(testDir)) {
                List<String> classes = ImageFolders.classNames(trainDir);
                requireClasses(dataset, trainDir, classes);
                return new TrainTestData(dataset,
                        ImageFolders.read(ImageFolders.files(trainDir, classes), classes, side, decoder, manager),
                        ImageFolders.read(ImageFolders.files(testDir, classes), classes, side, decoder, manager));
            }
            List<String> classes = ImageFolders.classNames(root);
            requireClasses(dataset, root, classes);
            List<List<Path>> train = new ArrayList<>();
            List<List<Path>> test = new ArrayList<>();
            for (List<Path> files : ImageFolders.files(root, classes)) {
                int cut = files.size() - (int) Math.round(files.size() * FOLDER_TEST_FRACTION);
                train.add(files.subList(0, cut));
                test.add(files.subList(cut, files.size()));
            }
            return new TrainTestData(dataset, ImageFolders.read(train, classes, side, decoder, manager),
                    ImageFolders.read(test, classes, side, decoder, manager));
        }
    }

    private static void requireClasses(String dataset, Path dir, List<String> classes) {
        if (classes.size() < 2) {
            throw new UnknownDatasetException("data set '" + dataset + "' needs at least 2 class folders in "
                    + dir.toAbsolutePath() + ", found " + classes);
        }
    }
}
