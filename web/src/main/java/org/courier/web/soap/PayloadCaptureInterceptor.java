package org.courier.web.soap;

import javax.xml.stream.XMLStreamReader;
import org.apache.cxf.interceptor.StaxInInterceptor;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.phase.PhaseInterceptorChain;

/**
 * Puts a {@link PayloadCapture} between the request's XML reader and everything that reads it,
 * right after the SOAP stack opens the reader, and keeps it on the message for the endpoint
 * ({@link #current()}). Named on {@link CourierEndpoint} with CXF's {@code @InInterceptors}; the
 * web module's manifest gives the deployment the {@code org.apache.cxf} module, without which
 * WildFly ignores the annotation.
 */
public class PayloadCaptureInterceptor extends AbstractPhaseInterceptor<Message> {

    public PayloadCaptureInterceptor() {
        super(Phase.POST_STREAM);
        addAfter(StaxInInterceptor.class.getName());
    }

    @Override
    public void handleMessage(Message message) {
        XMLStreamReader reader = message.getContent(XMLStreamReader.class);
        if (reader != null) {
            PayloadCapture capture = new PayloadCapture(reader);
            message.setContent(XMLStreamReader.class, capture);
            message.put(PayloadCapture.class, capture);
        }
    }

    /** The capture of the request being served on this thread, or {@code null} if it was read without one. */
    static PayloadCapture current() {
        Message message = PhaseInterceptorChain.getCurrentMessage();
        return message == null ? null : message.get(PayloadCapture.class);
    }
}
