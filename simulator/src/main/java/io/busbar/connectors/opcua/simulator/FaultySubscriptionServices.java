package io.busbar.connectors.opcua.simulator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.milo.opcua.sdk.server.servicesets.SubscriptionServiceSet;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSubscriptionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSubscriptionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteSubscriptionsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteSubscriptionsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifySubscriptionRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ModifySubscriptionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.PublishRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.PublishResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.RepublishRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.RepublishResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.SetPublishingModeRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.SetPublishingModeResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.TransferSubscriptionsRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.TransferSubscriptionsResponse;
import org.eclipse.milo.opcua.stack.transport.server.ServiceRequestContext;

/**
 * Milo's subscription services, with two faults on demand: CreateSubscription answered late (see
 * {@link FaultControls#createSubscriptionsSlowly}): the subscription exists on the server at once,
 * the answer comes after the delay, so a client that gave up meanwhile does not know of it; and
 * ModifySubscription refused (see {@link FaultControls#refuseSubscriptionChanges}).
 */
final class FaultySubscriptionServices implements SubscriptionServiceSet {

    private final SubscriptionServiceSet delegate;
    private final Supplier<Duration> delay;
    private final AtomicInteger modificationsToRefuse;

    FaultySubscriptionServices(SubscriptionServiceSet delegate, Supplier<Duration> delay,
                               AtomicInteger modificationsToRefuse) {
        this.delegate = delegate;
        this.delay = delay;
        this.modificationsToRefuse = modificationsToRefuse;
    }

    @Override
    public CreateSubscriptionResponse onCreateSubscription(ServiceRequestContext context, CreateSubscriptionRequest request)
            throws UaException {
        CreateSubscriptionResponse response = delegate.onCreateSubscription(context, request);
        Duration late = delay.get();
        if (!late.isZero()) {
            try {
                Thread.sleep(late.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return response;
    }

    @Override
    public ModifySubscriptionResponse onModifySubscription(ServiceRequestContext context, ModifySubscriptionRequest request)
            throws UaException {
        if (modificationsToRefuse.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
            throw new UaException(StatusCodes.Bad_ServiceUnsupported);
        }
        return delegate.onModifySubscription(context, request);
    }

    @Override
    public DeleteSubscriptionsResponse onDeleteSubscriptions(ServiceRequestContext context, DeleteSubscriptionsRequest request)
            throws UaException {
        return delegate.onDeleteSubscriptions(context, request);
    }

    @Override
    public TransferSubscriptionsResponse onTransferSubscriptions(
            ServiceRequestContext context, TransferSubscriptionsRequest request) throws UaException {
        return delegate.onTransferSubscriptions(context, request);
    }

    @Override
    public SetPublishingModeResponse onSetPublishingMode(ServiceRequestContext context, SetPublishingModeRequest request)
            throws UaException {
        return delegate.onSetPublishingMode(context, request);
    }

    @Override
    public RepublishResponse onRepublish(ServiceRequestContext context, RepublishRequest request) throws UaException {
        return delegate.onRepublish(context, request);
    }

    @Override
    public CompletableFuture<PublishResponse> onPublish(ServiceRequestContext context, PublishRequest request) {
        return delegate.onPublish(context, request);
    }
}
