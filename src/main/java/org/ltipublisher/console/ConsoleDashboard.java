package org.ltipublisher.console;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;

import org.ltipublisher.keys.KeyView;
import org.ltipublisher.keys.ToolKeyService;
import org.ltipublisher.registration.RegistrationDtos.RegistrationView;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.web.PublicUrl;

/** What the dashboard shows, read from the same services the admin API uses. */
@ApplicationScoped
public class ConsoleDashboard {

    /** Registrations by status and the tool's signing keys (active, next, retired). */
    public record Overview(boolean databaseReady, Map<String, Long> registrationsByStatus, List<KeyView> keys) {
    }

    private final RegistrationService registrations;
    private final ToolKeyService keys;
    private final ConsoleAdminStore admins;
    private final PublicUrl publicUrl;

    public ConsoleDashboard(RegistrationService registrations, ToolKeyService keys, ConsoleAdminStore admins,
            PublicUrl publicUrl) {
        this.registrations = registrations;
        this.keys = keys;
        this.admins = admins;
        this.publicUrl = publicUrl;
    }

    public Overview overview(UriInfo uriInfo) {
        // the session check just read PostgreSQL; asking again states readiness as the page is drawn
        boolean ready = admins.anyAdmin();
        List<RegistrationView> all = registrations.list(publicUrl.base(uriInfo));
        return new Overview(ready, ConsoleResource.countBy(all, r -> r.status().name().toLowerCase()), keys.list());
    }
}
