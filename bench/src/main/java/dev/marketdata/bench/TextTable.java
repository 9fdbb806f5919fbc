package dev.marketdata.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Markdown table with padded columns: readable on a terminal, and pasted as it is into docs/benchmark.md. */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] rightAligned;

    TextTable(String... header) {
        rows.add(header);
        rightAligned = new boolean[header.length];
    }

    TextTable alignRight(int... columns) {
        for (int c : columns) {
            rightAligned[c] = true;
        }
        return this;
    }

    void add(String... cells) {
        rows.add(cells);
    }

    @Override
    public String toString() {
        int[] width = new int[rows.get(0).length];
        Arrays.fill(width, 3);
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            appendRow(out, rows.get(r), width);
            if (r == 0) {
                String[] rule = new String[width.length];
                for (int c = 0; c < width.length; c++) {
                    rule[c] = "-".repeat(width[c] - 1) + (rightAligned[c] ? ":" : "-");
                }
                appendRow(out, rule, width);
            }
        }
        return out.toString();
    }

    private void appendRow(StringBuilder out, String[] row, int[] width) {
        out.append('|');
        for (int c = 0; c < row.length; c++) {
            String cell = row[c];
            String pad = " ".repeat(Math.max(0, width[c] - cell.length()));
            out.append(' ').append(rightAligned[c] ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }
}
