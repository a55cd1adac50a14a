package dev.twophase.coordinator.dashboard.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The ops dashboard: one static page (static/dashboard/) that reads the JSON of {@link OpsController}. */
@Controller
class DashboardPageController {

    @GetMapping({"/dashboard", "/dashboard/"})
    String page() {
        return "forward:/dashboard/index.html";
    }
}
