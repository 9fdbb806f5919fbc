package dev.marketdata.job.replay;

import dev.marketdata.job.json.BarJson;
import dev.marketdata.job.json.RecordJson;
import dev.marketdata.job.sink.BarTable;
import dev.marketdata.job.sink.PgTable;
import dev.marketdata.job.validate.BarValidator;
import dev.marketdata.job.validate.Validator;
import java.util.Map;

/**
 * What replaying a data set's dead letters needs: its wire format, its validation rules and its table.
 *
 * @param name the data set, as dead letters and their folders name it
 */
public record Dataset<T>(String name, RecordJson<T> json, Validator<T> validator, PgTable<T> table) {

    public static final Dataset<?> BARS = new Dataset<>(BarTable.DATASET, new BarJson(), new BarValidator(), new BarTable());

    /** Every data set the job writes, by name. */
    public static final Map<String, Dataset<?>> ALL = Map.of(BARS.name(), BARS);
}
