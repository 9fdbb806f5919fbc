package dev.marketdata.job.validate;

import java.io.Serializable;
import java.util.List;

/** The validation rules of one data set: pure, stateless, and cheap enough for every record. */
public interface Validator<T> extends Serializable {

    /** The first rule {@code record} breaks, or null when it breaks none. */
    Violation check(T record);

    /** Every reason code {@link #check} can return, so metrics can be registered up front. */
    List<String> reasons();

    /**
     * {@code valid} (a record {@link #check} passed) with every identifier that is part of its key in its one
     * canonical spelling (see {@code docs/identifiers.md}), so that the spellings providers use for one instrument
     * become one row; {@code valid} itself when it is spelled so already. This is the one place identifiers are
     * canonicalised: the validation operator applies it before the records are keyed and written.
     */
    default T canonical(T valid) {
        return valid;
    }
}
