package io.transferlab.gateway;

import static io.transferlab.gateway.TestKeys.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.transferlab.contracts.dataset.DatasetManifest;
import io.transferlab.contracts.json.Json;
import io.transferlab.gateway.standin.TunerStandIn;
import io.transferlab.testsupport.KafkaResource;
import io.transferlab.gateway.service.DatasetImporter;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Data set uploads over HTTP into the data directory (test limits: 50 entries, 1 MB per entry, 3 MB in all). */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(TunerStandIn.class)
class DatasetUploadIT {

    private static final Path UPLOADS = Path.of("target/test-data/uploads");

    @Test
    void storesClassFoldersSkipsAndListsWhatIsNotAnImage() throws IOException {
        byte[] zip = Zips.of()
                .add("pets/cat/1.png", TestImages.png(32, 32)).add("pets/cat/2.jpg", TestImages.jpeg(32, 32))
                .add("pets/dog/1.png", TestImages.png(40, 30))
                .add("pets/dog/notes.txt", "not an image".getBytes(StandardCharsets.UTF_8))
                .add("pets/dog/tiny.png", TestImages.png(2, 2))
                .add("pets/.DS_Store", new byte[] {1, 2, 3})
                .bytes();
        String body = as(TestKeys.TRAIN).contentType("application/zip").queryParam("name", "pets").body(zip)
                .when().post("/api/v1/datasets")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/datasets/ds-"))
                .body("classes.name", equalTo(List.of("cat", "dog")))
                .body("classes.count", equalTo(List.of(2, 1)))
                .body("imageCount", equalTo(3))
                .body("rejected", hasSize(3))
                .body("rejected.entry", hasItem("pets/dog/notes.txt"))
                .extract().asString();
        DatasetManifest manifest = Json.read(body, DatasetManifest.class);
        Path dir = UPLOADS.resolve(manifest.id());
        assertThat(dir.resolve("cat")).isDirectory();
        try (Stream<Path> files = Files.list(dir.resolve("cat"))) {
            assertThat(files.count()).isEqualTo(2);
        }
        assertThat(Json.read(Files.readString(dir.resolve("dataset.json")), DatasetManifest.class).classes())
                .isEqualTo(manifest.classes());
        assertThat(manifest.rejected()).anySatisfy(r -> assertThat(r.reason()).contains("not a JPEG or PNG"));
        assertThat(manifest.rejected()).anySatisfy(r -> assertThat(r.reason()).contains("2x2"));

        as(TestKeys.CLASSIFY).get("/api/v1/datasets/" + manifest.id()).then().statusCode(200)
                .body("name", equalTo("pets"));
        as(TestKeys.CLASSIFY).get("/api/v1/datasets").then().statusCode(200).body("id", hasItem(manifest.id()));
    }

    @Test
    void acceptsAMultipartUpload() {
        byte[] zip = Zips.of().add("a/1.png", TestImages.png(16, 16)).add("b/1.png", TestImages.png(16, 16)).bytes();
        as(TestKeys.TRAIN).multiPart("file", "set.zip", zip, "application/zip").multiPart("name", "ab")
                .when().post("/api/v1/datasets")
                .then().statusCode(201).body("classes.name", equalTo(List.of("a", "b"))).body("name", equalTo("ab"));
    }

    @Test
    void rejectsZipSlipStoringNothing() throws IOException {
        long before = datasetCount();
        byte[] zip = Zips.of().add("a/1.png", TestImages.png(16, 16)).add("../../evil/1.png", TestImages.png(16, 16))
                .add("b/1.png", TestImages.png(16, 16)).bytes();
        as(TestKeys.TRAIN).contentType("application/zip").body(zip).when().post("/api/v1/datasets")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("zip-slip"));
        assertThat(datasetCount()).isEqualTo(before);
        assertThat(Path.of("target/evil")).doesNotExist();
    }

    @Test
    void rejectsZipBombsByInflatedSize() {
        // 2 MB of zeros compresses to a few kB: the declared upload is small, the inflated entry is over 1 MB.
        byte[] zip = Zips.of().add("a/1.png", TestImages.png(16, 16)).add("b/bomb.png", new byte[2 * 1024 * 1024])
                .bytes();
        assertThat(zip.length).isLessThan(64 * 1024);
        as(TestKeys.TRAIN).contentType("application/zip").body(zip).when().post("/api/v1/datasets")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("per-entry limit"));
        Zips many = Zips.of();
        for (int i = 0; i < 51; i++) {
            many.add("c" + (i % 2) + "/" + i + ".png", TestImages.png(8, 8));
        }
        as(TestKeys.TRAIN).contentType("application/zip").body(many.bytes()).when().post("/api/v1/datasets")
                .then().statusCode(413).body("detail", containsString("51 entries"));
    }

    @Test
    void needsTwoClassesAndAZip() {
        as(TestKeys.TRAIN).contentType("application/zip").body(Zips.of().add("only/1.png", TestImages.png(16, 16))
                .add("only/2.png", TestImages.png(16, 16)).bytes())
                .when().post("/api/v1/datasets")
                .then().statusCode(400).body("detail", startsWith("a data set needs at least two class folders"));
        as(TestKeys.TRAIN).contentType("application/zip").body("this is not a zip".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/datasets")
                .then().statusCode(400).body("detail", containsString("not a readable zip"));
        as(TestKeys.TRAIN).contentType("application/zip").body(new byte[5 * 1024 * 1024])
                .when().post("/api/v1/datasets")
                .then().statusCode(413);
        as(TestKeys.TRAIN).get("/api/v1/datasets/ds-missing").then().statusCode(404);
    }

    @Test
    void rejectedEntriesCountTowardTheInflatedTotal() throws IOException {
        // four 900 kB text files in class folders: each under the 1 MB entry limit, each rejected (not an image),
        // together over the 3 MB total; they used to be inflated without counting
        Zips zips = Zips.of().add("a/1.png", TestImages.png(16, 16)).add("b/1.png", TestImages.png(16, 16));
        for (int i = 0; i < 4; i++) {
            zips.add("a/notes" + i + ".txt", new byte[900 * 1024]);
        }
        long before = datasetCount();
        as(TestKeys.TRAIN).contentType("application/zip").body(zips.bytes()).when().post("/api/v1/datasets")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("the total limit"));
        assertThat(datasetCount()).isEqualTo(before);
    }

    @Test
    void imagesOverTheSizeLimitsAreRejectedByNameFromTheirHeader() {
        byte[] zip = Zips.of().add("a/1.png", TestImages.png(16, 16)).add("b/1.png", TestImages.png(16, 16))
                .add("b/huge.png", pngHeader(20_000, 20_000)).bytes();
        as(TestKeys.TRAIN).contentType("application/zip").body(zip).when().post("/api/v1/datasets")
                .then().statusCode(201).body("imageCount", equalTo(2))
                .body("rejected.entry", hasItem("b/huge.png"))
                .body("rejected.reason", hasItem(containsString("20000x20000")));
    }

    @Test
    void deletesADataSetWithTheTrainRoleOnly() throws IOException {
        byte[] zip = Zips.of().add("a/1.png", TestImages.png(16, 16)).add("b/1.png", TestImages.png(16, 16)).bytes();
        String id = as(TestKeys.TRAIN).contentType("application/zip").body(zip).when().post("/api/v1/datasets")
                .then().statusCode(201).extract().path("id");
        assertThat(UPLOADS.resolve(id)).isDirectory();

        as(TestKeys.CLASSIFY).delete("/api/v1/datasets/" + id).then().statusCode(403);
        as(TestKeys.TRAIN).delete("/api/v1/datasets/" + id).then().statusCode(204);
        assertThat(UPLOADS.resolve(id)).doesNotExist();
        try (Stream<Path> left = Files.list(UPLOADS)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(id));
        }
        as(TestKeys.TRAIN).get("/api/v1/datasets/" + id).then().statusCode(404);
        as(TestKeys.TRAIN).get("/api/v1/datasets").then().statusCode(200).body("id", not(hasItem(id)));

        as(TestKeys.TRAIN).delete("/api/v1/datasets/" + id).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString(id));
        as(TestKeys.TRAIN).delete("/api/v1/datasets/.staging-x").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("id must be"));
        as(TestKeys.TRAIN).delete("/api/v1/datasets/a%20b").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Inject
    DatasetImporter importer;

    @Test
    void leftoversOfInterruptedUploadsAreRemovedButNotAnotherReplicasWorkInProgress() throws IOException {
        Path old = Files.createDirectories(UPLOADS.resolve(".staging-ds-crashed").resolve("cat"));
        Files.write(old.resolve("1.png"), TestImages.png(8, 8));
        Path oldSpool = Files.createDirectories(UPLOADS.resolve(".incoming")).resolve("upload-crashed.zip");
        Files.write(oldSpool, new byte[10]);
        Path oldDelete = Files.createDirectories(UPLOADS.resolve(".deleting-ds-x-1"));
        Path busy = Files.createDirectories(UPLOADS.resolve(".staging-ds-in-progress"));
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        for (Path p : List.of(old.getParent(), oldSpool, oldDelete)) {
            Files.setLastModifiedTime(p, twoHoursAgo);
        }

        assertThat(importer.removeLeftovers()).isGreaterThanOrEqualTo(3);
        assertThat(old.getParent()).doesNotExist();
        assertThat(oldSpool).doesNotExist();
        assertThat(oldDelete).doesNotExist();
        assertThat(busy).isDirectory();
        Files.delete(busy);
    }

    /** A PNG signature and IHDR chunk claiming {@code width} x {@code height}, nothing else: the header alone. */
    private static byte[] pngHeader(int width, int height) {
        return ByteBuffer.allocate(33).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
                .putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height)
                .put(new byte[] {8, 2, 0, 0, 0}).putInt(0).array();
    }

    private static long datasetCount() throws IOException {
        if (!Files.isDirectory(UPLOADS)) {
            return 0;
        }
        try (Stream<Path> dirs = Files.list(UPLOADS)) {
            return dirs.filter(d -> !d.getFileName().toString().startsWith(".")).count();
        }
    }
}
