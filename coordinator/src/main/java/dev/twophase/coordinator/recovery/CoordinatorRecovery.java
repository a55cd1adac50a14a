package dev.twophase.coordinator.recovery;

import dev.twophase.coordinator.cluster.ClusterMembership;
import dev.twophase.coordinator.cluster.TakeoverLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Restart: the coordinator reads its own log before it takes work. It runs before the web server opens. The node
 * joins the cluster under a new epoch of its lease, so every transaction its previous run owned now has an owner that
 * holds no lease, and the takeover pass finishes them: every PREPARING one belongs to a run that is gone, so nobody can
 * be waiting for its votes and it is aborted (presumed abort); every decision not yet acknowledged becomes due for
 * redelivery at once. The same pass takes over the transactions of any other node whose lease has lapsed. Then the
 * takeover loop goes on doing so every renewal interval (src-docs/cluster.md).
 */
@Component
class CoordinatorRecovery implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorRecovery.class);

    private final ClusterMembership membership;
    private final TakeoverLoop takeovers;

    CoordinatorRecovery(ClusterMembership membership, TakeoverLoop takeovers) {
        this.membership = membership;
        this.takeovers = takeovers;
    }

    @Override
    public void afterSingletonsInstantiated() {
        membership.join();
        TakeoverLoop.Pass pass = takeovers.run(true);
        log.info(
                "recovery: log read; {} unfinished transaction(s) taken over: {} undecided aborted, {} one-phase to "
                        + "resolve, {} decision(s) to redeliver; {} lapsed lease(s) of other nodes fenced",
                pass.taken(),
                pass.aborted(),
                pass.onePhaseLeft(),
                pass.redelivering(),
                pass.fenced());
    }

    @EventListener(ApplicationReadyEvent.class)
    void startTakeovers() {
        takeovers.start();
    }
}
