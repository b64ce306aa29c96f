package org.ltipublisher.roster;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.roster.EnrolmentStore.EnrolmentView;

/** Who is enrolled, for the admin API, the console and other features (the instructor view): reads only. */
@ApplicationScoped
public class EnrolmentService {

    private final EnrolmentStore enrolments;

    public EnrolmentService(EnrolmentStore enrolments) {
        this.enrolments = enrolments;
    }

    /** Everyone enrolled in the resource, in every context, from launches and member sync. */
    public List<EnrolmentView> forResource(UUID resourceId) {
        return enrolments.forResource(resourceId);
    }

    /** The members of one context of the resource, from launches and member sync, each naming its platform. */
    public List<EnrolmentView> inContext(UUID resourceId, UUID contextRowId) {
        return enrolments.forContext(resourceId, contextRowId);
    }
}
