package io.transferlab.chapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChapterMainTest {

    @Test
    void commandLineOverridesDefaultsAndUnknownOptionsAreRefused() {
        var o = ChapterMain.parse(new String[] {"--epochs=2", "--protocol=offline"});
        assertThat(o).containsEntry("epochs", "2").containsEntry("protocol", "offline")
                .containsEntry("train-size", "2000");
        // readiness is asked on the gateway's management port, not on the API port
        assertThat(ChapterMain.parse(new String[] {"--gateway-management=http://gw:9000"}))
                .containsEntry("gateway-management", "http://gw:9000");
        assertThat(ChapterMain.parse(new String[] {"--epoch=2"})).isNull();
        assertThat(ChapterMain.parse(new String[] {"epochs"})).isNull();
    }

    @Test
    void formatsQueryResultsLikePsql() {
        String text = RunsTable.format(new RunsTable.Result(List.of("rank", "run_id"),
                List.of(List.of("1", "run-a"), List.of("2", "run-bb"))));
        assertThat(text).isEqualTo("rank | run_id\n-----+-------\n1    | run-a \n2    | run-bb\n(2 rows)\n");
    }
}
