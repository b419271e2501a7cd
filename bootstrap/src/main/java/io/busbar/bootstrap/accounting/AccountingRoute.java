package io.busbar.bootstrap.accounting;

import io.busbar.mappings.wire.ReadingCodec;
import io.busbar.routes.BufferLayout;
import io.busbar.routes.delivery.DeliveryRoute;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code accounting}: consumes the accounting's queue in a local JMS transaction and sends the
 * outputs in that same transaction, each to the readings address addressed to its target: a
 * message's readings are taken and its outputs handed on together, or neither (a rollback brings
 * the message again, {@code JMSRedelivered}, and {@link AccountingService#process} computes them
 * again). A failure is not retried in process: the transaction rolls back and the broker redelivers.
 */
final class AccountingRoute extends RouteBuilder {

    static final String ROUTE_ID = "accounting";
    static final String OUTPUTS = "busbarAccountingOutputs";

    private final AccountingService service;

    AccountingRoute(AccountingService service) {
        this.service = service;
    }

    @Override
    public void configure() {
        from(AccountingService.queueUri() + "?transacted=true&cacheLevelName=CACHE_CONSUMER")
                .routeId(ROUTE_ID)
                // after the delivery routes have started, before the ingest routes
                .startupOrder(DeliveryRoute.STARTUP_ORDER_BASE - 10)
                .process(exchange -> {
                    var message = exchange.getMessage();
                    exchange.setProperty(OUTPUTS, service.process(message.getMandatoryBody(byte[].class),
                            message.getHeader(BufferLayout.PAIR_PROPERTY, "", String.class),
                            Boolean.TRUE.equals(message.getHeader("JMSRedelivered", Boolean.class))));
                })
                .split(exchangeProperty(OUTPUTS))
                    .process(exchange -> {
                        AccountingService.Outgoing out = exchange.getMessage().getBody(AccountingService.Outgoing.class);
                        var message = exchange.getMessage();
                        message.removeHeaders("*");
                        message.setBody(out.body());
                        message.setHeader(BufferLayout.REPLAY_TO_PROPERTY, out.target());
                        message.setHeader(BufferLayout.PAIR_PROPERTY, out.pair());
                        message.setHeader(BufferLayout.COUNT_PROPERTY, out.count());
                        message.setHeader(BufferLayout.CODEC_PROPERTY, ReadingCodec.WIRE_VERSION);
                        message.setHeader(BufferLayout.OLDEST_PROPERTY, out.oldest());
                    })
                    .to("jms:topic:" + BufferLayout.READINGS_ADDRESS + "?deliveryPersistent=true")
                .end();
    }
}
