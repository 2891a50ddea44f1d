package io.transferlab.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.transferlab.contracts.json.Json;
import io.transferlab.contracts.json.MessageFormatException;
import io.transferlab.contracts.train.ControlAction;
import io.transferlab.contracts.train.RunSpec;
import io.transferlab.contracts.train.TrainControl;
import io.transferlab.contracts.train.TrainRequest;
import io.transferlab.contracts.train.TrainResult;
import io.transferlab.contracts.tune.TuneControl;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {

    @Test
    void everyMessageSurvivesARoundTrip() {
        for (Object message : Samples.all()) {
            String json = Json.write(message);
            Object back = Json.read(json, message.getClass());
            // Records with arrays compare by identity, so compare the re-serialised JSON instead.
            assertThat(Json.write(back)).as(message.getClass().getSimpleName()).isEqualTo(json);
        }
    }

    @Test
    void aVersionOneClassifyRequestReadsAsUnpinnedAndAPinTravelsAsModelVersion() {
        io.transferlab.contracts.classify.ClassifyRequest old = Json.read("{\"schemaVersion\":1,\"requestId\":\"r\","
                + "\"modelId\":\"digits\",\"topK\":5,\"image\":\"/9gB\"}",
                io.transferlab.contracts.classify.ClassifyRequest.class);
        assertThat(old.modelVersion()).isNull();
        assertThat(Json.write(old)).doesNotContain("modelVersion");
        assertThat(Json.write(new io.transferlab.contracts.classify.ClassifyRequest(2, "r", "digits", 5,
                new byte[] {1}, null, null, 3))).contains("\"modelVersion\":3");
    }

    @Test
    void aClearedAliasHasNoVersionAndItsKeyNamesModelAndAlias() {
        io.transferlab.contracts.model.ModelAliasChanged cleared = io.transferlab.contracts.model.ModelAliasChanged
                .of("digits", "production", null, "ci", Samples.T);
        assertThat(cleared.cleared()).isTrue();
        assertThat(cleared.key()).isEqualTo("digits/production");
        assertThat(Json.write(cleared)).doesNotContain("version\"").doesNotContain("cleared").doesNotContain("key");
    }

    @Test
    void imageBytesTravelAsBase64() {
        String json = Json.write(Samples.all().get(0));
        assertThat(json).contains("\"image\":\"/9gB\"");
    }

    @Test
    void confusionMatrixIsNestedArrays() {
        TrainResult result = (TrainResult) Samples.all().get(5);
        String json = Json.write(result);
        assertThat(json).contains("\"counts\":[[3,1],[0,4]]");
        assertThat(Json.read(json, TrainResult.class).confusionMatrix().total()).isEqualTo(8);
    }

    @Test
    void timesAreIsoStringsAndNullsAreOmitted() {
        String json = Json.write(Samples.all().get(2));
        assertThat(json).contains("\"completedAt\":\"2026-11-28T10:15:30Z\"").doesNotContain("null");
    }

    @Test
    void aVersionOneRequestWithoutOwnerStillReadsWithNoOwner() {
        String v1 = "{\"schemaVersion\":1,\"runId\":\"r\",\"modelId\":\"digits\",\"spec\":{\"dataset\":\"mnist\"}}";
        TrainRequest request = Json.read(v1, TrainRequest.class);
        assertThat(request.owner()).isNull();
        assertThat(request.ownerIsAdmin()).isNull();
        assertThat(request.requester()).isEqualTo(Requester.UNKNOWN);
        String tune = "{\"schemaVersion\":1,\"studyId\":\"s\",\"baseSpec\":{\"dataset\":\"mnist\"},"
                + "\"grid\":{\"dropout\":[0.1]}}";
        assertThat(Json.read(tune, io.transferlab.contracts.tune.TuneRequest.class).owner()).isNull();
        String model = "{\"schemaVersion\":1,\"modelId\":\"digits\",\"version\":3}";
        assertThat(Json.read(model, io.transferlab.contracts.model.ModelPublished.class).owner()).isNull();
    }

    @Test
    void ownersTravelAndAnAbsentAdminFlagIsOmitted() {
        TrainRequest owned = new TrainRequest(SchemaVersion.CURRENT, "r", null, "digits", Samples.spec(), null, null,
                "alice", null);
        String json = Json.write(owned);
        assertThat(json).contains("\"owner\":\"alice\"").doesNotContain("ownerIsAdmin");
        assertThat(Json.read(json, TrainRequest.class).requester()).isEqualTo(
                new Requester("alice", false));
        TrainRequest admin = new TrainRequest(SchemaVersion.CURRENT, "r", null, "digits", Samples.spec(), null, null,
                "root", true);
        assertThat(Json.read(Json.write(admin), TrainRequest.class).requester().admin()).isTrue();
    }

    @Test
    void aVersionOneControlReadsAsFromAnUnknownSender() {
        TrainControl train = Json.read("{\"schemaVersion\":1,\"runId\":\"r\",\"action\":\"CANCEL\"}",
                TrainControl.class);
        assertThat(train.requester()).isNull();
        assertThat(train.requestedBy()).isEqualTo(Requester.UNKNOWN);
        TuneControl tune = Json.read("{\"schemaVersion\":1,\"studyId\":\"s\",\"action\":\"CANCEL\"}",
                TuneControl.class);
        assertThat(tune.requestedBy()).isEqualTo(Requester.UNKNOWN);
    }

    @Test
    void aControlCarriesItsSenderAndAnAbsentAdminFlagIsOmitted() {
        String json = Json.write(new TrainControl(SchemaVersion.CURRENT, "r", ControlAction.CANCEL, null, null,
                "alice", null));
        assertThat(json).contains("\"requester\":\"alice\"").doesNotContain("requesterIsAdmin");
        assertThat(Json.read(json, TrainControl.class).requestedBy()).isEqualTo(new Requester("alice", false));
        TuneControl admin = Json.read(Json.write(new TuneControl(SchemaVersion.CURRENT, "s", ControlAction.CANCEL,
                null, null, "root", true)), TuneControl.class);
        assertThat(admin.requestedBy()).isEqualTo(new Requester("root", true));
    }

    @Test
    void rejectsUnknownFieldNamingItAndTheKnownOnes() {
        String json = "{\"schemaVersion\":1,\"runId\":\"r\",\"spec\":{\"dataset\":\"mnist\",\"epoch\":3}}";
        assertThatThrownBy(() -> Json.read(json, TrainRequest.class))
                .isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("unknown field 'spec.epoch'")
                .hasMessageContaining("epochs");
    }

    @Test
    void rejectsWrongTypeNamingTheField() {
        String json = "{\"dataset\":\"mnist\",\"epochs\":\"five\"}";
        assertThatThrownBy(() -> Json.read(json, RunSpec.class))
                .isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("'epochs'")
                .hasMessageContaining("integer");
    }

    @Test
    void rejectsMalformedAndEmptyJson() {
        assertThatThrownBy(() -> Json.read("{\"dataset\":", RunSpec.class))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> Json.read("", RunSpec.class))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("empty message");
        assertThatThrownBy(() -> Json.read("{} {}", RunSpec.class))
                .isInstanceOf(MessageFormatException.class);
    }

    @Test
    void rejectsUnknownEnumValue() {
        String json = "{\"schemaVersion\":1,\"runId\":\"r\",\"action\":\"EXPLODE\"}";
        assertThatThrownBy(() -> Json.read(json, io.transferlab.contracts.train.TrainControl.class))
                .isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("'action'")
                .hasMessageContaining("CANCEL");
    }
}
