package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.ClusterTest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The participant protocol of a real bank process, driven message by message the way a faulty network or a
 * retrying coordinator would: repeated, reordered and concurrent messages change nothing beyond the first.
 */
class ProtocolMessagesIT extends ClusterTest {

    private String alice;

    @BeforeEach
    void openAccount() {
        alice = ledger.open(BANK_A, "alice", "100.00");
    }

    @Test
    void aRepeatedPrepareHoldsOnceAndGetsTheSameVote() {
        String tx = newTxId();

        Reply first = prepareDebit(tx, "30.00");
        Reply again = prepareDebit(tx, "30.00");

        assertThat(first.text("vote")).isEqualTo("YES");
        assertThat(again.text("vote")).isEqualTo("YES");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("30.00");
    }

    @Test
    void aRepeatedPrepareOfTheWholeBalanceGetsTheSameVoteEvenAfterTheCommit() {
        String tx = newTxId();

        Reply first = prepareDebit(tx, "100.00");
        // The repeat cannot hold the money a second time; it must still be answered from the first one's record.
        Reply again = prepareDebit(tx, "100.00");
        Reply commit = send(tx, "commit");
        Reply late = prepareDebit(tx, "100.00");

        assertThat(first.text("vote")).isEqualTo("YES");
        assertThat(again.text("vote")).isEqualTo("YES");
        assertThat(commit.text("state")).isEqualTo("COMMITTED");
        assertThat(late.text("vote")).isEqualTo("YES");
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("0");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0");
    }

    @Test
    void aDebitOfAnUnknownAccountVotesNoForThatReasonAndHoldsNothing() {
        String tx = newTxId();

        Reply vote = api.post(
                url("/2pc/transactions/" + tx + "/prepare"),
                Map.of(
                        "operations",
                        List.of(
                                Map.of("account", alice, "type", "DEBIT", "amount", "10.00"),
                                Map.of("account", "nobody-" + tx, "type", "DEBIT", "amount", "10.00"))),
                null);

        assertThat(vote.text("vote")).isEqualTo("NO");
        assertThat(vote.text("reason")).isEqualTo("UNKNOWN_ACCOUNT");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0");
    }

    @Test
    void anAbortBeforeThePrepareLeavesATombstoneSoTheLatePrepareVotesNo() {
        String tx = newTxId();

        Reply abort = send(tx, "abort");
        Reply latePrepare = prepareDebit(tx, "30.00");

        assertThat(abort.status()).isEqualTo(200);
        assertThat(abort.text("state")).isEqualTo("ABORTED");
        assertThat(latePrepare.text("vote")).isEqualTo("NO");
        assertThat(latePrepare.text("reason")).isEqualTo("ALREADY_ABORTED");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0");
    }

    @Test
    void aCommitDeliveredTwiceAppliesOnce() {
        String tx = newTxId();
        prepareDebit(tx, "30.00");

        assertThat(send(tx, "commit").text("state")).isEqualTo("COMMITTED");
        assertThat(send(tx, "commit").text("state")).isEqualTo("COMMITTED");

        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("70.00", "0.00"));
    }

    @Test
    void anAbortDeliveredTwiceReleasesTheHoldOnce() {
        String other = newTxId();
        prepareDebit(other, "50.00");
        String tx = newTxId();
        prepareDebit(tx, "30.00");

        send(tx, "abort");
        send(tx, "abort");

        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("100.00", "50.00"));
        send(other, "abort");
    }

    @Test
    void aDecisionThatContradictsTheAppliedOneIsRefusedAndChangesNothing() {
        String committed = newTxId();
        prepareDebit(committed, "10.00");
        send(committed, "commit");
        String aborted = newTxId();
        prepareDebit(aborted, "10.00");
        send(aborted, "abort");

        assertThat(send(committed, "abort").status()).isEqualTo(409);
        assertThat(send(aborted, "commit").status()).isEqualTo(409);
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("90.00", "0.00"));
        assertThat(api.bankState(BANK_A, committed)).isEqualTo("COMMITTED");
        assertThat(api.bankState(BANK_A, aborted)).isEqualTo("ABORTED");
    }

    @Test
    void aCommitForATransactionNeverPreparedIsRefused() {
        String tx = newTxId();

        assertThat(send(tx, "commit").status()).isEqualTo(404);
        assertThat(api.bankState(BANK_A, tx)).isNull();
    }

    @Test
    void concurrentDuplicateCommitsApplyExactlyOnce() {
        String tx = newTxId();
        prepareDebit(tx, "30.00");

        List<Reply> replies = concurrently(20, i -> send(tx, "commit"));

        assertThat(replies).allSatisfy(reply -> assertThat(reply.text("state")).isEqualTo("COMMITTED"));
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("70.00", "0.00"));
    }

    @Test
    void concurrentPreparesNeverHoldMoreThanTheBalance() {
        List<Reply> votes = concurrently(40, i -> prepareDebit(newTxId(), "10.00"));

        long yes = votes.stream().filter(v -> "YES".equals(v.text("vote"))).count();
        assertThat(yes).isEqualTo(10);
        assertThat(votes.stream().filter(v -> "NO".equals(v.text("vote"))))
                .allSatisfy(v -> assertThat(v.text("reason")).isEqualTo("INSUFFICIENT_FUNDS"));
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("100.00", "100.00"));
        api.inDoubt(BANK_A).stream()
                .filter(tx -> tx.get("operations").findValuesAsString("account").contains(alice))
                .forEach(tx -> send(tx.get("txId").asString(), "abort"));
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0");
    }

    @Test
    void aBankListsWhatItDecidedInAWindowToASignedReadAndRefusesABadWindowNamingTheField() {
        Instant from = Instant.now().minusSeconds(1);
        String committed = newTxId();
        assertThat(prepareDebit(committed, "10.00").text("vote")).isEqualTo("YES");
        assertThat(send(committed, "commit").text("state")).isEqualTo("COMMITTED");
        String tombstone = newTxId();
        assertThat(send(tombstone, "abort").text("state")).isEqualTo("ABORTED");
        String window = "/2pc/decisions?from=" + from + "&to=" + Instant.now().plusSeconds(1);

        Reply page = api.get(url(window));

        assertThat(page.status()).isEqualTo(200);
        Map<String, String> byTx = new java.util.HashMap<>();
        page.body()
                .get("transactions")
                .forEach(tx -> byTx.put(
                        tx.get("txId").asString(),
                        tx.get("state").asString() + " " + tx.get("net").asString()));
        assertThat(byTx).containsEntry(committed, "COMMITTED -10.00").containsEntry(tombstone, "ABORTED 0.00");
        assertThat(page.body().get("nextAfterTxId").isNull()).isTrue();
        // It tells who was paid what: unsigned, it is refused.
        assertThat(api.sendAsIs(java.net.http.HttpRequest.newBuilder(url(window))
                                .GET())
                        .status())
                .isEqualTo(401);

        Map<String, String> bad = Map.of(
                "/2pc/decisions?from=" + from, "to",
                "/2pc/decisions?from=yesterday&to=" + from, "from",
                "/2pc/decisions?from=" + from + "&to=" + from.minusSeconds(5), "to",
                window + "&limit=0", "limit",
                window + "&limit=many", "limit",
                window + "&afterTxId=" + committed, "afterDecidedAt");
        bad.forEach((path, field) -> {
            Reply refused = api.get(url(path));
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.text("field")).as(path).isEqualTo(field);
        });
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("90.00", "0.00"));
    }

    @Test
    void malformedProtocolRequestsGetAProblemNamingTheFieldAndChangeNothing() {
        Reply badTxId = api.post(url("/2pc/transactions/" + "x".repeat(65) + "/abort"), Map.of(), null);
        Reply badState = api.get(url("/2pc/transactions?state=MAYBE"));
        Reply badAmount = api.post(
                url("/2pc/transactions/" + newTxId() + "/prepare"),
                Map.of("operations", List.of(Map.of("account", alice, "type", "DEBIT", "amount", "-5.00"))),
                null);

        assertThat(badTxId.status()).isEqualTo(400);
        assertThat(badTxId.text("field")).isEqualTo("txId");
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.text("field")).isEqualTo("state");
        // A malformed operation is an answer, not an error: the bank votes NO and holds nothing.
        assertThat(badAmount.text("vote")).isEqualTo("NO");
        assertThat(badAmount.text("reason")).isEqualTo("INVALID_OPERATION");
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("100.00", "0.00"));
    }

    @Test
    void aBatchAnswersEachMessageAsItWouldHaveBeenAnsweredAlone() {
        String yes = newTxId();
        String tooMuch = newTxId();
        String neverPrepared = newTxId();
        String committed = newTxId();
        prepareDebit(committed, "10.00");

        Reply batch = api.post(
                url("/2pc/batch"),
                Map.of(
                        "messages",
                        List.of(
                                debitMessage(yes, "30.00"),
                                debitMessage(yes, "30.00"), // repeated inside the batch: held once
                                debitMessage(tooMuch, "500.00"),
                                Map.of("txId", neverPrepared, "type", "COMMIT"),
                                Map.of("txId", committed, "type", "COMMIT"),
                                Map.of("txId", "x".repeat(65), "type", "ABORT"))),
                null);

        assertThat(batch.status()).isEqualTo(200);
        var replies = batch.body().get("replies");
        assertThat(replies.size()).isEqualTo(6);
        assertThat(replies.get(0).get("vote").asString()).isEqualTo("YES");
        assertThat(replies.get(1).get("vote").asString()).isEqualTo("YES");
        assertThat(replies.get(2).get("vote").asString()).isEqualTo("NO");
        assertThat(replies.get(2).get("reason").asString()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(replies.get(3).get("status").asInt()).isEqualTo(404);
        assertThat(replies.get(4).get("state").asString()).isEqualTo("COMMITTED");
        assertThat(replies.get(5).get("status").asInt()).isEqualTo(400);
        assertThat(api.bankState(BANK_A, neverPrepared)).isNull();
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("90.00", "30.00"));
        send(yes, "abort");
    }

    @Test
    void malformedBatchesAndOnePhaseRequestsGetAProblemNamingTheFieldAndChangeNothing() {
        List<Map<String, Object>> tooMany = IntStream.range(0, 1001)
                .mapToObj(i -> debitMessage(newTxId(), "0.01"))
                .toList();
        Reply oversized = api.post(url("/2pc/batch"), Map.of("messages", tooMany), null);
        Reply badOnePhaseTxId = api.post(
                url("/2pc/transactions/" + "x".repeat(65) + "/commit-one-phase"),
                Map.of("operations", List.of(Map.of("account", alice, "type", "DEBIT", "amount", "5.00"))),
                null);
        String negative = newTxId();
        Reply negativeOnePhase = api.post(
                url("/2pc/transactions/" + negative + "/commit-one-phase"),
                Map.of("operations", List.of(Map.of("account", alice, "type", "DEBIT", "amount", "-5.00"))),
                null);

        assertThat(oversized.status()).isEqualTo(400);
        assertThat(oversized.text("field")).isEqualTo("messages");
        assertThat(badOnePhaseTxId.status()).isEqualTo(400);
        assertThat(badOnePhaseTxId.text("field")).isEqualTo("txId");
        // As with prepare, a malformed operation is an answer: the bank refuses and applies nothing.
        assertThat(negativeOnePhase.text("state")).isEqualTo("ABORTED");
        assertThat(negativeOnePhase.text("reason")).isEqualTo("INVALID_OPERATION");
        assertThat(api.inDoubt(BANK_A))
                .noneMatch(
                        tx -> tx.get("operations").findValuesAsString("account").contains(alice));
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("100.00", "0.00"));
    }

    private Map<String, Object> debitMessage(String tx, String amount) {
        return Map.of(
                "txId",
                tx,
                "type",
                "PREPARE",
                "operations",
                List.of(Map.of("account", alice, "type", "DEBIT", "amount", amount)));
    }

    private Reply prepareDebit(String tx, String amount) {
        return api.post(
                url("/2pc/transactions/" + tx + "/prepare"),
                Map.of("operations", List.of(Map.of("account", alice, "type", "DEBIT", "amount", amount))),
                null);
    }

    private Reply send(String tx, String decision) {
        return api.post(url("/2pc/transactions/" + tx + "/" + decision), Map.of(), null);
    }

    private URI url(String path) {
        return api.bankUrl(BANK_A, path);
    }

    private static String newTxId() {
        return UUID.randomUUID().toString();
    }

    private static List<Reply> concurrently(int count, java.util.function.IntFunction<Reply> call) {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<CompletableFuture<Reply>> futures = IntStream.range(0, count)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> call.apply(i), pool))
                    .toList();
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }
}
