package dev.marketdata.job.validate;

import java.io.Serializable;
import java.util.List;

/** The validation rules of one data set: pure, stateless, and cheap enough for every record. */
public interface Validator<T> extends Serializable {

    /** The first rule {@code record} breaks, or null when it breaks none. */
    Violation check(T record);

    /** Every reason code {@link #check} can return, so metrics can be registered up front. */
    List<String> reasons();
}
