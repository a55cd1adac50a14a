package dev.twophase.coordinator;

import dev.twophase.web.startup.AheadOfTimeMode;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The transaction coordinator: runs two-phase commit across the banks for each transfer. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CoordinatorApplication {

    public static void main(String[] args) {
        AheadOfTimeMode.enableWhenBuilt(CoordinatorApplication.class);
        SpringApplication.run(CoordinatorApplication.class, args);
    }
}
