/// Marketing Cloud SOAP answers, shaped like the real service's (wire-formats reference §2.4).
enum SOAPFixtures {
    static let namespaces = [
        "soap": "http://schemas.xmlsoap.org/soap/envelope/",
        "et": "http://exacttarget.com/wsdl/partnerAPI",
        "fault": "urn:fault.partner.exacttarget.com",
    ]

    static let createResponseOK = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" \
        xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" \
        xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" \
        xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">
          <env:Header xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">
            <wsa:Action>CreateResponse</wsa:Action>
            <wsa:MessageID>urn:uuid:5f2c1c0e-7d7e-4f0b-9a53-0c3b2c1d9e11</wsa:MessageID>
            <wsa:RelatesTo>urn:uuid:0b6f8a0e-3f7a-4c43-8a7e-6f1e2d3c4b5a</wsa:RelatesTo>
            <wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>
            <wsse:Security>
              <wsu:Timestamp wsu:Id="Timestamp-8c1f2e3d-4b5a-6978-8a9b-0c1d2e3f4a5b">
                <wsu:Created>2026-11-27T03:00:00Z</wsu:Created>
                <wsu:Expires>2026-11-27T03:05:00Z</wsu:Expires>
              </wsu:Timestamp>
            </wsse:Security>
          </env:Header>
          <soap:Body>
            <CreateResponse xmlns="http://exacttarget.com/wsdl/partnerAPI">
              <Results>
                <StatusCode>OK</StatusCode>
                <StatusMessage>Created SMSTriggeredSend</StatusMessage>
                <OrdinalID>0</OrdinalID>
                <NewID>0</NewID>
                <NewObjectID>9d1c8e2a-6b3f-4a7d-8e5c-1f2a3b4c5d6e</NewObjectID>
                <Object xsi:type="SMSTriggeredSend">
                  <PartnerKey xsi:nil="true"/>
                  <ObjectID xsi:nil="true"/>
                  <SMSTriggeredSendDefinition><CustomerKey>TSD_EXTERNAL_KEY</CustomerKey></SMSTriggeredSendDefinition>
                  <Subscriber><SubscriberKey>sub-123</SubscriberKey></Subscriber>
                  <Message>Your code is 123456 &amp; expires in 5 minutes</Message>
                  <Number>15555550123</Number>
                </Object>
              </Results>
              <RequestID>4f1b2c3d-5e6f-7a8b-9c0d-1e2f3a4b5c6d</RequestID>
              <OverallStatus>OK</OverallStatus>
            </CreateResponse>
          </soap:Body>
        </soap:Envelope>
        """

    /// One object failed, one succeeded.
    static let createResponseHasErrors = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <soap:Body>
            <CreateResponse xmlns="http://exacttarget.com/wsdl/partnerAPI">
              <Results>
                <StatusCode>Error</StatusCode>
                <StatusMessage>Single sends must include a subscriber.</StatusMessage>
                <OrdinalID>0</OrdinalID>
                <ErrorCode>33100</ErrorCode>
                <NewID>0</NewID>
              </Results>
              <Results>
                <StatusCode>OK</StatusCode>
                <StatusMessage>Created SMSTriggeredSend</StatusMessage>
                <OrdinalID>1</OrdinalID>
                <NewID>0</NewID>
              </Results>
              <RequestID>a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d</RequestID>
              <OverallStatus>Has Errors</OverallStatus>
            </CreateResponse>
          </soap:Body>
        </soap:Envelope>
        """

    static let serverFault = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
          <soap:Body>
            <soap:Fault>
              <faultcode>soap:Server</faultcode>
              <faultstring>Unplanned Outage</faultstring>
              <faultactor>https://mc1234.soap.marketingcloudapis.com/Service.asmx</faultactor>
              <detail>
                <apifault xmlns="urn:fault.partner.exacttarget.com">
                  <Code>2</Code>
                  <Message>Unplanned Outage</Message>
                  <LogID>1234567890</LogID>
                </apifault>
              </detail>
            </soap:Fault>
          </soap:Body>
        </soap:Envelope>
        """

    static let securityFault = """
        <?xml version="1.0" encoding="utf-8"?>
        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
          <soap:Body>
            <soap:Fault>
              <faultcode xmlns:q0="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">q0:Security</faultcode>
              <faultstring>Token Expired</faultstring>
            </soap:Fault>
          </soap:Body>
        </soap:Envelope>
        """
}
