import Foundation
import Synchronization
import SwitchboardXML

/// A fake Salesforce Marketing Cloud: the OAuth2 token endpoint (`/v2/token`), the SOAP service
/// (`/Service.asmx`) and the MobileConnect REST send. It checks the client credentials, the token,
/// `SOAPAction`, the Content-Type and the envelope's or JSON body's shape, as the real one would.
/// Every request is checked before a scripted answer is used; see `WireViolations`. A token the
/// fake issued and the test then revoked is refused without a violation: that is the world the
/// test set up, not a malformed request.
package final class FakeMarketingCloud: Sendable {
    package let clientID: String
    package let clientSecret: String
    /// Answers to use for SOAP/REST sends that pass the checks, before the normal ones (token
    /// requests are not scripted).
    package let script = ReplyScript()
    package let violations = WireViolations(fakeName: "FakeMarketingCloud")
    package let server: FakeHTTPServer
    private let state: Locked<State>

    struct State {
        var issued = 0
        var valid: Set<String> = []
        /// Revoking a token takes it out of `valid` only, so a revoked token (the test's doing)
        /// can be told from one the fake never issued (the client's mistake).
        var everIssued: Set<String> = []
        var expiresIn = 1079
        var tokenDelay = Duration.zero
    }

    package init(clientID: String = "sfmc-client", clientSecret: String = "sfmc-secret") async throws {
        self.clientID = clientID
        self.clientSecret = clientSecret
        let state = Locked(State())
        self.state = state
        let script = self.script
        let violations = self.violations
        let portBox = Locked(0)
        server = try await FakeHTTPServer { request in
            let base = "http://127.0.0.1:\(portBox.withLock { $0 })/"
            let refusal: Refusal?
            switch request.path {
            case "/v2/token":
                refusal = Self.tokenRefusal(request, clientID: clientID, clientSecret: clientSecret)
            case "/Service.asmx":
                refusal = Self.soapRefusal(request, state: state)
            case let path where path.hasPrefix("/sms/v1/messageContact/"):
                refusal = Self.restRefusal(request, state: state)
            default:
                refusal = Refusal("no such endpoint: \(request.method) \(request.path)", .json(404, #"{"message":"not found"}"#))
            }
            if let refusal {
                if let violation = refusal.violation { violations.record(violation) }
                return refusal.reply
            }
            if request.path == "/v2/token" { return await Self.token(state: state, base: base) }
            if let reply = script.next() { return reply }
            if request.path == "/Service.asmx" { return Self.createResponse(statusCode: "OK", message: "Created SMSTriggeredSend") }
            return .json(202, #"{"tokenId":"c21NCNSDN2sMMWM2miosdjEREsdf\#(Int.random(in: 1000...9999))"}"#)
        }
        portBox.withLock { $0 = server.port }
    }

    package var requests: [FakeHTTPServer.Request] { server.requests }
    package var tokenRequests: [FakeHTTPServer.Request] { server.requests.filter { $0.path == "/v2/token" } }
    package var sendRequests: [FakeHTTPServer.Request] { server.requests.filter { $0.path != "/v2/token" } }

    /// Tokens issued from now on say they live this many seconds.
    package func setTokenLifetime(seconds: Int) { state.withLock { $0.expiresIn = seconds } }
    /// Token answers wait this long, so concurrent sends pile up on one request.
    package func setTokenDelay(_ delay: Duration) { state.withLock { $0.tokenDelay = delay } }
    /// Every token issued so far stops working (as if expired or revoked).
    package func revokeTokens() { state.withLock { $0.valid.removeAll() } }

    /// A refused request: `violation` names what was wrong with it, or is nil when the request was
    /// well formed and only the fake's state (a revoked token) refuses it.
    struct Refusal {
        var violation: String?
        var reply: FakeHTTPServer.Reply

        init(_ violation: String?, _ reply: FakeHTTPServer.Reply) {
            self.violation = violation
            self.reply = reply
        }
    }

    static func tokenRefusal(_ request: FakeHTTPServer.Request, clientID: String, clientSecret: String) -> Refusal? {
        guard request.method == "POST", request.header("Content-Type")?.hasPrefix("application/json") == true, let body = request.json else {
            return Refusal("token request is not a POST with a JSON body", .json(400, #"{"error":"unsupported_grant_type"}"#))
        }
        guard body["grant_type"] as? String == "client_credentials" else {
            return Refusal("grant_type is not client_credentials", .json(400, #"{"error":"unsupported_grant_type"}"#))
        }
        guard body["client_id"] as? String == clientID, body["client_secret"] as? String == clientSecret else {
            return Refusal(
                "wrong client_id or client_secret",
                .json(401, #"{"error":"invalid_client","error_description":"Invalid client ID. Use the client ID in Marketing Cloud Installed Packages."}"#)
            )
        }
        return nil
    }

    static func token(state: Locked<State>, base: String) async -> FakeHTTPServer.Reply {
        let (token, expiresIn, delay) = state.withLock { state in
            state.issued += 1
            let token = "tok-\(state.issued)"
            state.valid.insert(token)
            state.everIssued.insert(token)
            return (token, state.expiresIn, state.tokenDelay)
        }
        if delay > .zero { try? await Task.sleep(for: delay) }
        return .json(
            200,
            #"{"access_token":"\#(token)","token_type":"Bearer","expires_in":\#(expiresIn),"scope":"sms_send","soap_instance_url":"\#(base)","rest_instance_url":"\#(base)"}"#
        )
    }

    static let soapNS = "http://schemas.xmlsoap.org/soap/envelope/"
    static let partnerNS = "http://exacttarget.com/wsdl/partnerAPI"

    static func fault(_ code: String, _ text: String, codeNamespace: String = "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"") -> FakeHTTPServer.Reply {
        .xml(
            500,
            """
            <?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="\(soapNS)"><soap:Body><soap:Fault>\
            <faultcode \(codeNamespace)>\(code)</faultcode><faultstring>\(text)</faultstring><detail/></soap:Fault></soap:Body></soap:Envelope>
            """
        )
    }

    /// A Security fault, as Marketing Cloud answers a bad or expired token.
    package static func securityFault(_ text: String = "Login failed") -> FakeHTTPServer.Reply {
        fault("q0:Security", text, codeNamespace: "xmlns:q0=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\"")
    }

    /// A CreateResponse with one result.
    package static func createResponse(statusCode: String, message: String, errorCode: Int? = nil, overall: String? = nil) -> FakeHTTPServer.Reply {
        let error = errorCode.map { "<ErrorCode>\($0)</ErrorCode>" } ?? ""
        return .xml(
            200,
            """
            <?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="\(soapNS)" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
            <soap:Header/><soap:Body><CreateResponse xmlns="\(partnerNS)"><Results><StatusCode>\(statusCode)</StatusCode>\
            <StatusMessage>\(message)</StatusMessage><OrdinalID>0</OrdinalID>\(error)<NewID>0</NewID></Results>\
            <RequestID>5f3c1a52-6f1e-4a55-9f43-\(String(Int.random(in: 100_000_000_000...999_999_999_999)))</RequestID>\
            <OverallStatus>\(overall ?? (statusCode == "OK" ? "OK" : "Error"))</OverallStatus></CreateResponse></soap:Body></soap:Envelope>
            """
        )
    }

    static func soapRefusal(_ request: FakeHTTPServer.Request, state: Locked<State>) -> Refusal? {
        guard request.method == "POST" else { return Refusal("\(request.method) to the SOAP service", .xml(405, "")) }
        guard request.header("SOAPAction") == "Create" else {
            return Refusal(
                "SOAPAction is \(request.header("SOAPAction") ?? "missing"), not Create",
                fault("soap:Client", "Server did not recognize the value of HTTP Header SOAPAction: \(request.header("SOAPAction") ?? "").")
            )
        }
        guard request.header("Content-Type")?.hasPrefix("text/xml") == true else {
            return Refusal("Content-Type is \(request.header("Content-Type") ?? "missing"), not text/xml for SOAP 1.1", .xml(415, ""))
        }
        let document: SafeXMLDocument
        do {
            document = try SafeXMLDocument(parsing: request.body)
        } catch {
            return Refusal("the envelope is not well-formed XML", fault("soap:Client", "The request is not well-formed XML."))
        }
        let ns = ["s": soapNS, "et": "http://exacttarget.com", "p": partnerNS, "xsi": "http://www.w3.org/2001/XMLSchema-instance"]
        func value(_ path: String) -> String? { (try? document.string(at: path, namespaces: ns)) ?? nil }
        guard let token = value("/s:Envelope/s:Header/et:fueloauth"), !token.isEmpty else {
            return Refusal("the envelope has no fueloauth token", securityFault())
        }
        let (issued, valid) = state.withLock { ($0.everIssued.contains(token), $0.valid.contains(token)) }
        guard issued else { return Refusal("token \(token) was never issued", securityFault()) }
        guard valid else { return Refusal(nil, securityFault()) }
        let object = "/s:Envelope/s:Body/p:CreateRequest/p:Objects"
        guard value("count(/s:Envelope/s:Body/p:CreateRequest/p:Options)") == "1", value("\(object)/@xsi:type") == "SMSTriggeredSend" else {
            return Refusal("no Options or SMSTriggeredSend object", fault("soap:Client", "The CreateRequest must hold Options and an SMSTriggeredSend object."))
        }
        guard value("\(object)/p:SMSTriggeredSendDefinition/p:CustomerKey")?.isEmpty == false else {
            return Refusal("no CustomerKey", createResponse(statusCode: "Error", message: "TriggeredSendDefinition CustomerKey is required.", errorCode: 33001))
        }
        guard value("\(object)/p:Subscriber/p:SubscriberKey")?.isEmpty == false else {
            return Refusal("no SubscriberKey", createResponse(statusCode: "Error", message: "Single sends must include a subscriber.", errorCode: 33100))
        }
        guard value("\(object)/p:Message")?.isEmpty == false else {
            return Refusal("no Message", createResponse(statusCode: "Error", message: "Message is required.", errorCode: 33002))
        }
        guard let number = value("\(object)/p:Number"), !number.isEmpty, number.allSatisfy(\.isNumber) else {
            return Refusal("Number is missing or not digits", createResponse(statusCode: "Error", message: "The mobile number is not valid.", errorCode: 33101))
        }
        return nil
    }

    static func restRefusal(_ request: FakeHTTPServer.Request, state: Locked<State>) -> Refusal? {
        guard request.method == "POST", request.path.hasSuffix("/send") else {
            return Refusal("\(request.method) \(request.path) is not a POST to .../send", .json(404, #"{"message":"not found"}"#))
        }
        let notAuthorized = FakeHTTPServer.Reply.json(
            401, #"{"documentation":"https://developer.salesforce.com/docs/atlas.en-us.mc-apis.meta/mc-apis/error-handling.htm","errorcode":0,"message":"Not Authorized"}"#
        )
        guard let auth = request.header("Authorization"), auth.hasPrefix("Bearer ") else {
            return Refusal("no Bearer token", notAuthorized)
        }
        let token = String(auth.dropFirst("Bearer ".count))
        let (issued, valid) = state.withLock { ($0.everIssued.contains(token), $0.valid.contains(token)) }
        guard issued else { return Refusal("token \(token) was never issued", notAuthorized) }
        guard valid else { return Refusal(nil, notAuthorized) }
        guard request.header("Content-Type")?.hasPrefix("application/json") == true else {
            return Refusal(
                "Content-Type is \(request.header("Content-Type") ?? "missing"), not application/json",
                .json(415, #"{"message":"Unsupported Media Type","errorcode":10000}"#)
            )
        }
        guard let body = request.json, let numbers = body["mobileNumbers"] as? [String], !numbers.isEmpty,
            (body["messageText"] as? String)?.isEmpty == false
        else {
            return Refusal("no mobileNumbers or messageText", .json(400, #"{"message":"mobileNumbers and messageText are required","errorcode":10000}"#))
        }
        return nil
    }
}
