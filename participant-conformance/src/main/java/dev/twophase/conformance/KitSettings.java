package dev.twophase.conformance;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the kit is run against and with.
 *
 * @param participantUrl the participant's base URL (its {@code /2pc/} and {@code /api/accounts} paths beneath it)
 * @param bankId the bank's id, the key id it signs inquiries with
 * @param protocolSecret the secret the bank shares with the coordinator
 * @param debitAccount with {@code creditAccount}: the bank's own accounts to use, the first with at least 100.00
 *     available; both null: the kit opens fresh accounts through the bank API
 * @param coordinatorPort where the kit answers inquiries as the coordinator (the participant must be configured to
 *     ask http://127.0.0.1:PORT); null: the inquiry rules are not run
 * @param inquiryWait how long a rule waits for the participant to ask, and to apply an answer
 * @param restarts how to kill and start the participant; null: the durability rules are not run
 * @param only the ids of the rules to run; empty: all
 */
public record KitSettings(
        String participantUrl,
        String bankId,
        String protocolSecret,
        String debitAccount,
        String creditAccount,
        Integer coordinatorPort,
        Duration inquiryWait,
        Restarts restarts,
        Set<String> only) {

    public KitSettings {
        Objects.requireNonNull(participantUrl, "participantUrl");
        Objects.requireNonNull(bankId, "bankId");
        Objects.requireNonNull(protocolSecret, "protocolSecret");
        if ((debitAccount == null) != (creditAccount == null)) {
            throw new IllegalArgumentException("give both a debit and a credit account, or neither (open fresh ones)");
        }
        inquiryWait = inquiryWait == null ? Duration.ofSeconds(60) : inquiryWait;
        only = only == null ? Set.of() : Set.copyOf(only);
    }

    /** Against a participant, opening fresh accounts, without the inquiry and durability rules. */
    public static KitSettings openingAccounts(String participantUrl, String bankId, String protocolSecret) {
        return new KitSettings(participantUrl, bankId, protocolSecret, null, null, null, null, null, Set.of());
    }

    public KitSettings withCoordinatorPort(int port) {
        return new KitSettings(
                participantUrl, bankId, protocolSecret, debitAccount, creditAccount, port, inquiryWait, restarts, only);
    }

    public KitSettings withInquiryWait(Duration wait) {
        return new KitSettings(
                participantUrl,
                bankId,
                protocolSecret,
                debitAccount,
                creditAccount,
                coordinatorPort,
                wait,
                restarts,
                only);
    }

    public KitSettings withRestarts(Restarts restarts) {
        return new KitSettings(
                participantUrl,
                bankId,
                protocolSecret,
                debitAccount,
                creditAccount,
                coordinatorPort,
                inquiryWait,
                restarts,
                only);
    }

    public boolean opensAccounts() {
        return debitAccount == null;
    }
}
