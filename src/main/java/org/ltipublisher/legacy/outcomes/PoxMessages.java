package org.ltipublisher.legacy.outcomes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The POX envelopes of LTI 1.1 Basic Outcomes (LTI 1.1 §6, namespace imsoms_v1p0): requests built as
 * a DOM and serialized (so a sourcedid can never break the XML), answers parsed with a hardened JAXP
 * parser (no DTDs, no external entities).
 */
public final class PoxMessages {

    public static final String NS = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0";

    /** The imsx_statusInfo of an answer, and the score of a readResult answer (null when none is set). */
    public record PoxResponse(String codeMajor, String severity, String description, String messageRefIdentifier,
            BigDecimal score) {

        public boolean success() {
            return "success".equals(codeMajor);
        }
    }

    private PoxMessages() {
    }

    public static String replaceResult(String messageId, String sourcedId, BigDecimal score) {
        Document doc = newDocument();
        Element record = request(doc, messageId, "replaceResultRequest", sourcedId);
        Element resultScore = child(child(record, "result"), "resultScore");
        text(resultScore, "language", "en");
        text(resultScore, "textString", score.toPlainString());
        return serialize(doc);
    }

    public static String readResult(String messageId, String sourcedId) {
        Document doc = newDocument();
        request(doc, messageId, "readResultRequest", sourcedId);
        return serialize(doc);
    }

    public static String deleteResult(String messageId, String sourcedId) {
        Document doc = newDocument();
        request(doc, messageId, "deleteResultRequest", sourcedId);
        return serialize(doc);
    }

    /** Reads an imsx_POXEnvelopeResponse; IllegalArgumentException when the bytes are not one. */
    public static PoxResponse parse(byte[] xml) {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            doc = builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no usable XML parser", e);
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("the answer is not well-formed XML: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!"imsx_POXEnvelopeResponse".equals(root.getLocalName())) {
            throw new IllegalArgumentException("the answer is <" + root.getLocalName() + ">, not an imsx_POXEnvelopeResponse");
        }
        String codeMajor = first(root, "imsx_codeMajor");
        if (codeMajor == null) {
            throw new IllegalArgumentException("the answer has no imsx_codeMajor");
        }
        String score = null;
        NodeList results = root.getElementsByTagNameNS("*", "resultScore");
        if (results.getLength() > 0) {
            score = first((Element) results.item(0), "textString");
        }
        BigDecimal parsedScore;
        try {
            parsedScore = score == null || score.isBlank() ? null : new BigDecimal(score.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the answer's resultScore '" + score + "' is not a number");
        }
        return new PoxResponse(codeMajor.trim(), first(root, "imsx_severity"), first(root, "imsx_description"),
                first(root, "imsx_messageRefIdentifier"), parsedScore);
    }

    private static Element request(Document doc, String messageId, String operation, String sourcedId) {
        Element envelope = doc.createElementNS(NS, "imsx_POXEnvelopeRequest");
        doc.appendChild(envelope);
        Element info = child(child(envelope, "imsx_POXHeader"), "imsx_POXRequestHeaderInfo");
        text(info, "imsx_version", "V1.0");
        text(info, "imsx_messageIdentifier", messageId);
        Element record = child(child(child(envelope, "imsx_POXBody"), operation), "resultRecord");
        text(child(record, "sourcedGUID"), "sourcedId", sourcedId);
        return record;
    }

    private static Element child(Element parent, String name) {
        Element element = parent.getOwnerDocument().createElementNS(NS, name);
        parent.appendChild(element);
        return element;
    }

    private static void text(Element parent, String name, String value) {
        child(parent, name).setTextContent(value);
    }

    private static String first(Element root, String localName) {
        NodeList nodes = root.getElementsByTagNameNS("*", localName);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no usable XML parser", e);
        }
    }

    private static String serialize(Document doc) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write the POX request", e);
        }
    }
}
