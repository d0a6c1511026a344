package lectern.logs;

import jakarta.enterprise.context.ApplicationScoped;
import lectern.api.LabelledRows;
import lectern.api.UserLabelled;

/** The labels of log items ({@code log_item}), offered to the classifier's room. */
@ApplicationScoped
public class LogItemLabels extends LabelledRows {

    public LogItemLabels() {
        super(UserLabelled.LOG_ITEM, "log_item", "");
    }
}
