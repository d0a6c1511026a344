package lectern.llm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import lectern.api.LabelledItems;
import lectern.api.UserLabelled;

/** The rooms whose items the classifier labels, found by kind: log items and notes ({@link LabelledItems}). */
@ApplicationScoped
public class ItemsWithLabels {

    @Inject
    Instance<LabelledItems> all;

    /** Log items: the model's own labels are learning-log labels. */
    LabelledItems logItems() {
        return of(UserLabelled.LOG_ITEM);
    }

    /** Notes: labelled only by a user's classifier trained on labelled notes. */
    LabelledItems notes() {
        return of(UserLabelled.NOTE);
    }

    private LabelledItems of(String kind) {
        return all.stream().filter(i -> i.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no room offers labelled items of kind " + kind));
    }
}
