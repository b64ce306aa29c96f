package org.ltipublisher.console;

import java.math.BigDecimal;

import org.ltipublisher.sync.SyncRunView;

import io.quarkus.qute.TemplateExtension;

/** How console pages word values: a sync run's counts as "members 2, added 1", grades without padding zeros. */
@TemplateExtension
final class ConsoleText {

    private ConsoleText() {
    }

    static String countsText(SyncRunView run) {
        if (run.counts() == null || run.counts().isBlank()) {
            return "";
        }
        // the counts are a flat object of names and whole numbers (sync.SyncWork), so no JSON parser is needed
        return run.counts().replaceAll("[{}\"\\s]", "").replace(":", " ").replace(",", ", ");
    }

    /** numeric(12, 4) columns read back as "20.0000"; the form shows and takes "20". */
    static String plain(BigDecimal number) {
        return number == null ? "" : number.stripTrailingZeros().toPlainString();
    }
}
