package dev.twophase.coordinator.transfer.web;

import dev.twophase.coordinator.participant.ParticipantClient;
import dev.twophase.coordinator.security.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the transfer and transaction APIs check requests against: the configured banks and limits. */
@Configuration(proxyBeanMethods = false)
class TransferApiConfiguration {

    @Bean
    RequestFields requestFields(ParticipantClient participants, SecurityProperties security) {
        return new RequestFields(participants.banks(), security.limits().maxTransferAmount());
    }
}
