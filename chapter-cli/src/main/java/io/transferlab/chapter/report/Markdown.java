package io.transferlab.chapter.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A Markdown document built section by section. */
public final class Markdown {

    private final StringBuilder text = new StringBuilder();

    public Markdown heading(int level, String title) {
        text.append("#".repeat(level)).append(' ').append(title).append("\n\n");
        return this;
    }

    public Markdown paragraph(String paragraph) {
        text.append(paragraph).append("\n\n");
        return this;
    }

    public Markdown bullets(List<String> items) {
        items.forEach(item -> text.append("- ").append(item).append('\n'));
        text.append('\n');
        return this;
    }

    public Markdown table(List<String> header, List<List<String>> rows) {
        text.append('|').append(String.join("|", header.stream().map(Markdown::cell).toList())).append("|\n|");
        header.forEach(h -> text.append("---|"));
        text.append('\n');
        for (List<String> row : rows) {
            text.append('|').append(String.join("|", row.stream().map(Markdown::cell).toList())).append("|\n");
        }
        text.append('\n');
        return this;
    }

    public Markdown image(String alt, String relativePath) {
        text.append("![").append(alt).append("](").append(relativePath).append(")\n\n");
        return this;
    }

    public Markdown code(String block) {
        text.append("```\n").append(block.stripTrailing()).append("\n```\n\n");
        return this;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private static String cell(String value) {
        return value == null ? "" : value.replace("|", "\\|").replace("\n", " ");
    }
}
