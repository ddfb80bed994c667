package org.courier.web.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.courier.ingest.Acknowledgement;
import org.courier.ingest.FaultCode;
import org.courier.ingest.RequestRejected;
import org.courier.ingest.SendCommand;
import org.courier.message.DeliveryState;
import org.courier.message.QualityOfService;
import org.courier.messaging.v1.CourierFault;
import org.courier.messaging.v1.SendRequest;
import org.courier.status.MessageStatus;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

class SoapMappingTest {

    @Test
    void sendRequestBecomesACommandWithThePayloadElementAsText() throws Exception {
        SendRequest request = new SendRequest();
        request.setSender("ERP");
        request.setInterface("Orders");
        request.setMessageId("m-1");
        request.setQualityOfService(org.courier.messaging.v1.QualityOfService.EXACTLY_ONCE);
        request.setPayload(PayloadContent.of(element("<o:order xmlns:o=\"urn:o\"><o:id>1</o:id></o:order>")));

        SendCommand command = SoapMapping.command(request);

        assertThat(command.sender()).isEqualTo("ERP");
        assertThat(command.interfaceName()).isEqualTo("Orders");
        assertThat(command.messageId()).isEqualTo("m-1");
        assertThat(command.qualityOfService()).isEqualTo("ExactlyOnce");
        assertThat(command.queueId()).isNull();
        assertThat(command.payload()).isEqualTo("<o:order xmlns:o=\"urn:o\"><o:id>1</o:id></o:order>");
    }

    @Test
    void aPayloadOfOneElementWithWhiteSpaceAroundIsThatElement() throws Exception {
        PayloadContent payload = new PayloadContent();
        payload.getContent().addAll(List.of("\n  ", element("<a x=\"1\"/>"), "\n"));

        assertThat(SoapMapping.serialize(payload)).isEqualTo("<a x=\"1\"/>");
    }

    @Test
    void aPayloadOfMoreIsKeptWholeForTheContractToRefuse() throws Exception {
        PayloadContent payload = new PayloadContent();
        payload.getContent().addAll(List.of(element("<a/>"), "x < y", element("<b/>")));

        assertThat(SoapMapping.serialize(payload)).isEqualTo("<a/>x &lt; y<b/>");
    }

    @Test
    void missingPayloadAndQualityOfServiceStayMissingForTheValidator() {
        SendCommand command = SoapMapping.command(new SendRequest());

        assertThat(command.payload()).isNull();
        assertThat(command.qualityOfService()).isNull();
    }

    @Test
    void acknowledgementCarriesResultAndUtcTime() {
        Instant at = Instant.parse("2026-11-21T10:15:30.123Z");

        var ack = SoapMapping.acknowledgement(new Acknowledgement("ERP", "m-1", Acknowledgement.Result.DUPLICATE, at, "Q1", 7L));

        assertThat(ack.getResult().value()).isEqualTo("DUPLICATE");
        assertThat(ack.getAcceptedAt().toXMLFormat()).isEqualTo("2026-11-21T10:15:30.123Z");
        assertThat(ack.getQueueId()).isEqualTo("Q1");
        assertThat(ack.getSequence()).isEqualTo(7L);
    }

    @Test
    void rejectionBecomesATypedFaultWithRetryableFlag() {
        CourierFault fault = SoapMapping.fault(new RequestRejected(FaultCode.TEMPORARILY_UNAVAILABLE, "try again"));

        assertThat(fault.getFaultInfo().getCode().value()).isEqualTo("TEMPORARILY_UNAVAILABLE");
        assertThat(fault.getFaultInfo().isRetryable()).isTrue();
        assertThat(fault.getFaultInfo().getReason()).isEqualTo("try again");
        assertThat(fault.getMessage()).contains("TEMPORARILY_UNAVAILABLE").contains("try again");
    }

    @Test
    void everyFaultCodeAndDeliveryStateExistsInTheContract() {
        for (FaultCode code : FaultCode.values()) {
            assertThat(org.courier.messaging.v1.FaultCode.fromValue(code.name())).isNotNull();
        }
        for (DeliveryState state : DeliveryState.values()) {
            assertThat(org.courier.messaging.v1.DeliveryState.fromValue(state.name())).isNotNull();
        }
        for (QualityOfService qos : QualityOfService.values()) {
            assertThat(org.courier.messaging.v1.QualityOfService.fromValue(qos.wireName())).isNotNull();
        }
    }

    @Test
    void statusListsEachReceiverDelivery() {
        Instant at = Instant.parse("2026-11-21T10:00:00Z");
        MessageStatus status = new MessageStatus("ERP", "m-1", "Orders", QualityOfService.EXACTLY_ONCE_IN_ORDER, at, "courier-2", "Q1", 2L,
                List.of(new MessageStatus.ReceiverDelivery("alpha", DeliveryState.DELIVERED, 1, at, null, at, "courier-1", null, null, 0, null, null),
                        new MessageStatus.ReceiverDelivery("beta", DeliveryState.HELD, 0, null, null, null, null, "m-0", null, 0, null, null),
                        new MessageStatus.ReceiverDelivery("gamma", DeliveryState.IN_DOUBT, 2, at, "no answer", null, null, null, null, 1, null, null)));

        var result = SoapMapping.status(status);

        assertThat(result.getInterface()).isEqualTo("Orders");
        assertThat(result.getDelivery()).hasSize(3);
        assertThat(result.getSequence()).isEqualTo(2L);
        assertThat(result.getAcceptedBy()).isEqualTo("courier-2");
        assertThat(result.getDelivery().get(0).getDeliveredBy()).isEqualTo("courier-1");
        assertThat(result.getDelivery().get(1).getDeliveredBy()).isNull();
        assertThat(result.getDelivery().get(1).getState().value()).isEqualTo("HELD");
        assertThat(result.getDelivery().get(1).getHeldBehind()).isEqualTo("m-0");
        assertThat(result.getDelivery().get(1).getDeliveredAt()).isNull();
        assertThat(result.getDelivery().get(1).getPossibleDuplicates()).as("absent when zero").isNull();
        assertThat(result.getDelivery().get(2).getState().value()).isEqualTo("IN_DOUBT");
        assertThat(result.getDelivery().get(2).getPossibleDuplicates()).isEqualTo(1L);
    }

    private static Element element(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
    }
}
