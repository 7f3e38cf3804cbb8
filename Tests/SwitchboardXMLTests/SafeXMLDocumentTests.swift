import SwitchboardXML
import Testing

extension XMLTests {
    @Suite struct SafeXMLDocumentTests {
        let ns = SOAPFixtures.namespaces

        @Test func readsCreateResponse() throws {
            let document = try SafeXMLDocument(parsing: SOAPFixtures.createResponseOK)
            let response = "/soap:Envelope/soap:Body/et:CreateResponse"
            #expect(try document.string(at: "\(response)/et:OverallStatus", namespaces: ns) == "OK")
            #expect(
                try document.string(at: "\(response)/et:RequestID", namespaces: ns)
                    == "4f1b2c3d-5e6f-7a8b-9c0d-1e2f3a4b5c6d")
            #expect(try document.string(at: "\(response)/et:Results/et:StatusCode", namespaces: ns) == "OK")
            #expect(
                try document.string(at: "\(response)/et:Results/et:StatusMessage", namespaces: ns)
                    == "Created SMSTriggeredSend")
            #expect(try document.string(at: "\(response)/et:Results/et:NewID", namespaces: ns) == "0")
            #expect(try document.string(at: "\(response)/et:Results/et:ErrorCode", namespaces: ns) == nil)
            // Entity references in content come back decoded.
            #expect(
                try document.string(at: "//et:Object/et:Message", namespaces: ns)
                    == "Your code is 123456 & expires in 5 minutes")
            // The header binds the SOAP namespace to another prefix; our prefixes are independent of it.
            #expect(try document.string(at: "/soap:Envelope/soap:Header/*[1]", namespaces: ns) == "CreateResponse")
        }

        @Test func readsEveryResultOfAPartialFailure() throws {
            let document = try SafeXMLDocument(parsing: SOAPFixtures.createResponseHasErrors)
            let results = "//et:CreateResponse/et:Results"
            #expect(try document.string(at: "//et:OverallStatus", namespaces: ns) == "Has Errors")
            #expect(try document.strings(at: "\(results)/et:StatusCode", namespaces: ns) == ["Error", "OK"])
            #expect(
                try document.strings(at: "\(results)/et:StatusMessage", namespaces: ns)
                    == ["Single sends must include a subscriber.", "Created SMSTriggeredSend"])
            #expect(try document.strings(at: "\(results)/et:ErrorCode", namespaces: ns) == ["33100"])
            #expect(try document.strings(at: "\(results)/et:NewID", namespaces: ns) == ["0", "0"])
            #expect(try document.string(at: "count(\(results))", namespaces: ns) == "2")
            #expect(
                try document.string(at: "\(results)[et:StatusCode='Error']/et:OrdinalID", namespaces: ns) == "0")
        }

        @Test func readsServerFault() throws {
            let document = try SafeXMLDocument(parsing: SOAPFixtures.serverFault)
            let fault = "/soap:Envelope/soap:Body/soap:Fault"
            #expect(try document.string(at: "boolean(\(fault))", namespaces: ns) == "true")
            // faultcode and faultstring are unqualified in SOAP 1.1.
            #expect(try document.string(at: "\(fault)/faultcode", namespaces: ns) == "soap:Server")
            #expect(try document.string(at: "\(fault)/faultstring", namespaces: ns) == "Unplanned Outage")
            #expect(try document.string(at: "\(fault)/detail/fault:apifault/fault:Code", namespaces: ns) == "2")
        }

        @Test func readsSecurityFault() throws {
            let document = try SafeXMLDocument(parsing: SOAPFixtures.securityFault)
            #expect(try document.string(at: "//soap:Fault/faultcode", namespaces: ns) == "q0:Security")
            #expect(try document.string(at: "//soap:Fault/faultstring", namespaces: ns) == "Token Expired")
            #expect(try document.string(at: "boolean(//soap:Fault/detail)", namespaces: ns) == "false")
            #expect(try document.string(at: "//et:CreateResponse", namespaces: ns) == nil)
        }

        @Test func queriesWithoutPrefixes() throws {
            let plain = try SafeXMLDocument(parsing: #"<r><item id="a">one</item><item id="b">two</item></r>"#)
            #expect(try plain.strings(at: "/r/item") == ["one", "two"])
            #expect(try plain.string(at: "/r/item[@id='b']") == "two")
            #expect(try plain.strings(at: "//item/@id") == ["a", "b"])
            #expect(try plain.string(at: "string(/r/missing)") == "")
            #expect(try plain.string(at: "/r/missing") == nil)
            #expect(try plain.strings(at: "/r/missing") == [])

            // In a namespaced document unprefixed names match nothing (XPath 1.0); local-name() still works.
            let soap = try SafeXMLDocument(parsing: SOAPFixtures.createResponseOK)
            #expect(try soap.string(at: "/Envelope/Body/CreateResponse/OverallStatus") == nil)
            #expect(try soap.string(at: "//*[local-name()='OverallStatus']") == "OK")
        }

        @Test func elementTextIncludesDescendantsAndCDATA() throws {
            let document = try SafeXMLDocument(parsing: "<a>x<b>y</b><![CDATA[<z>]]></a>")
            #expect(try document.string(at: "/a") == "xy<z>")
        }

        @Test func refusesBadXPath() throws {
            let document = try SafeXMLDocument(parsing: SOAPFixtures.createResponseOK)
            #expect {
                try document.string(at: "//nope:OverallStatus", namespaces: ns)
            } throws: { error in
                guard case .invalidXPath(let expression, let message) = error as? XMLError else { return false }
                return expression == "//nope:OverallStatus" && message.contains("undefined namespace prefix")
            }
            #expect {
                try document.strings(at: "//et:Results[", namespaces: ns)
            } throws: { error in
                guard case .invalidXPath = error as? XMLError else { return false }
                return true
            }
        }

        @Test func parsesDeclaredLatin1() throws {
            let bytes = Array(#"<?xml version="1.0" encoding="ISO-8859-1"?><m>caf"#.utf8) + [0xE9] + Array("</m>".utf8)
            #expect(try SafeXMLDocument(parsing: bytes).string(at: "/m") == "café")
        }

        @Test func isUsableFromManyTasks() async throws {
            let document = try SafeXMLDocument(parsing: SOAPFixtures.createResponseHasErrors)
            let ns = ns
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<32 {
                    group.addTask {
                        // Half share one document, half parse their own.
                        let mine = index.isMultiple(of: 2)
                            ? document : try SafeXMLDocument(parsing: SOAPFixtures.createResponseHasErrors)
                        for _ in 0..<50 {
                            let codes = try mine.strings(at: "//et:Results/et:StatusCode", namespaces: ns)
                            #expect(codes == ["Error", "OK"])
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
