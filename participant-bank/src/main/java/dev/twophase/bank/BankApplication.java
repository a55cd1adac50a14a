package dev.twophase.bank;

import dev.twophase.web.startup.AheadOfTimeMode;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** A bank: holds accounts and takes part in two-phase commit as a participant. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class BankApplication {

    public static void main(String[] args) {
        AheadOfTimeMode.enableWhenBuilt(BankApplication.class);
        SpringApplication.run(BankApplication.class, args);
    }
}
