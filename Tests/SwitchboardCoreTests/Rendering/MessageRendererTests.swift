import SwitchboardCore
import Testing

@Suite struct MessageRendererTests {
    let renderer = MessageRenderer()
    let values = TemplateValues(app: "Acme", otp: "123456", minutes: 5)

    private func template(_ source: String) throws -> MessageTemplate {
        try MessageTemplate(parsing: source)
    }

    @Test func defaultLimitIsThreeSegments() {
        #expect(MessageRenderer().maxSegments == 3)
    }

    @Test func rendersTemplate() throws {
        let rendered = try renderer.render(template("{otp} is your {app} code, valid {minutes} minutes"), values: values)
        #expect(rendered == RenderedMessage(
            text: "123456 is your Acme code, valid 5 minutes", encoding: .gsm7, units: 41, segmentCount: 1
        ))
    }

    @Test func reportsUCS2AndSegments() throws {
        let rendered = try renderer.render(text: "Voilà ton code reçu 👍")
        #expect(rendered.encoding == .ucs2)
        #expect(rendered.units == 22)
        #expect(rendered.segmentCount == 1)
    }

    @Test(arguments: ["", " ", "\n\r\n\t "])
    func refusesEmptyText(_ text: String) {
        #expect(throws: RenderError.empty) { try renderer.render(text: text) }
    }

    @Test func refusesTemplateThatRendersEmpty() throws {
        let onlyApp = try template("{app}")
        #expect(throws: RenderError.empty) {
            try renderer.render(onlyApp, values: TemplateValues(app: ""), extras: OTPExtras(webOTPDomain: "example.com"))
        }
    }

    @Test func missingValueIsAnError() throws {
        let needsCode = try template("{otp}")
        #expect(throws: RenderError.missingValue(.otp)) {
            try renderer.render(needsCode, values: TemplateValues(app: "Acme"))
        }
    }

    @Test func acceptsExactlyMaxSegments() throws {
        let rendered = try renderer.render(text: String(repeating: "a", count: 459))
        #expect(rendered.segmentCount == 3)
    }

    @Test func refusesGSM7OverMaxSegments() {
        let error = #expect(throws: RenderError.self) {
            try renderer.render(text: String(repeating: "a", count: 460))
        }
        #expect(error == .tooManySegments(segments: 4, limit: 3, encoding: .gsm7, units: 460, nonGSMCharacters: []))
        let message = error.map(String.init(describing:)) ?? ""
        #expect(message.contains("4 segments (GSM-7, 460 septets)"))
        #expect(message.contains("at most 3 are allowed"))
        #expect(message.contains("at most 459 septets"))
        #expect(message.contains("messages.max_segments"))
    }

    @Test func ucs2RefusalNamesTheCharactersThatForcedIt() {
        let singleSegment = MessageRenderer(maxSegments: 1)
        let error = #expect(throws: RenderError.self) {
            try singleSegment.render(text: "Ton code: 123456. Reçu\tà 10h " + String(repeating: "a", count: 45))
        }
        #expect(error == .tooManySegments(segments: 2, limit: 1, encoding: .ucs2, units: 74, nonGSMCharacters: ["ç", "\t"]))
        let message = error.map(String.init(describing:)) ?? ""
        #expect(message.contains("2 segments (UCS-2, 74 UTF-16 code units)"))
        #expect(message.contains("at most 1 is allowed"))
        #expect(message.contains("because of 'ç' (U+00E7), U+0009,"))
        #expect(message.contains("at most 70 UTF-16 code units"))
    }

    @Test func ucs2RefusalNamesOnlyTheFirstFew() {
        let error = #expect(throws: RenderError.self) {
            try MessageRenderer(maxSegments: 1).render(text: "çáíóúý" + String(repeating: "a", count: 70))
        }
        guard case .tooManySegments(_, _, _, _, let characters) = error else {
            Issue.record("expected tooManySegments, got \(String(describing: error))")
            return
        }
        #expect(characters == ["ç", "á", "í", "ó", "ú", "ý"])
        let message = error.map(String.init(describing:)) ?? ""
        #expect(message.contains("'ú' (U+00FA) and others"))
        #expect(!message.contains("'ý'"))
    }

    // MARK: Control characters

    @Test func refusesTextWithAControlCharacterNamingItAndWhereItIs() {
        let error = #expect(throws: RenderError.self) { try renderer.render(text: "Alert: \u{1B}[31mred") }
        #expect(error == .controlCharacter(ControlCharacter(scalar: "\u{1B}", position: 8)))
        let message = error.map(String.init(describing:)) ?? ""
        #expect(message.contains("U+001B (ESC) at character 8"))
    }

    @Test func refusesAControlCharacterThatAValueBringsIn() throws {
        #expect(throws: RenderError.controlCharacter(ControlCharacter(scalar: "\u{0}", position: 13))) {
            try renderer.render(template("{otp} from {app}"), values: TemplateValues(app: "\u{0}Acme", otp: "123456"))
        }
    }

    @Test func refusesATemplateWithAControlCharacterWhereItsAuthorWroteIt() {
        let control = ControlCharacter(scalar: "\u{7F}", position: 11)
        #expect(throws: TemplateError(.controlCharacter(control), offset: 10)) { try template("Code {otp}\u{7F} for {app}") }
        #expect(TemplateError(.controlCharacter(control), offset: 10).description.contains("U+007F (DEL)"))
        #expect(TemplateError(.controlCharacter(control), offset: 10).description.contains("at character 11 of the template"))
    }

    // MARK: OTP extras

    @Test func webOTPLineIsTheLastLine() throws {
        let rendered = try renderer.render(
            template("{otp} is your {app} code"), values: values,
            extras: OTPExtras(webOTPDomain: "login.example.com")
        )
        #expect(rendered.text == "123456 is your Acme code\n@login.example.com #123456")
    }

    @Test func appHashGoesBeforeTheWebOTPLine() throws {
        let rendered = try renderer.render(
            template("{otp} is your {app} code"), values: values,
            extras: OTPExtras(webOTPDomain: "login.example.com", androidAppHash: "FA+9qCX9VSu")
        )
        #expect(rendered.text == "123456 is your Acme code\nFA+9qCX9VSu\n@login.example.com #123456")
        #expect(rendered.text.split(separator: "\n").last == "@login.example.com #123456")
    }

    @Test func appHashAloneEndsTheMessage() throws {
        let rendered = try renderer.render(
            template("{otp} is your {app} code"), values: values, extras: OTPExtras(androidAppHash: "FA+9qCX9VSu")
        )
        #expect(rendered.text == "123456 is your Acme code\nFA+9qCX9VSu")
    }

    @Test func noBlankLineWhenTheTemplateEndsWithOne() throws {
        let rendered = try renderer.render(
            template("Code {otp}\n"), values: values, extras: OTPExtras(webOTPDomain: "example.com")
        )
        #expect(rendered.text == "Code 123456\n@example.com #123456")
    }

    @Test func webOTPNeedsACode() throws {
        let noCode = try template("Welcome to {app}")
        #expect(throws: RenderError.webOTPWithoutCode(domain: "example.com")) {
            try renderer.render(noCode, values: TemplateValues(app: "Acme"), extras: OTPExtras(webOTPDomain: "example.com"))
        }
    }

    @Test func extrasCountTowardsTheSegmentLimit() throws {
        // 150 septets fit one segment alone; the WebOTP line takes the message past 160.
        let body = try template(String(repeating: "a", count: 144) + "{otp}")
        let plain = try MessageRenderer(maxSegments: 1).render(body, values: values)
        #expect(plain.units == 150)
        #expect(throws: RenderError.self) {
            try MessageRenderer(maxSegments: 1).render(body, values: values, extras: OTPExtras(webOTPDomain: "example.com"))
        }
        let two = try MessageRenderer(maxSegments: 2).render(body, values: values, extras: OTPExtras(webOTPDomain: "example.com"))
        #expect(two.units == 150 + 1 + 20)
        #expect(two.segmentCount == 2)
    }

    @Test func noExtrasByDefault() throws {
        let rendered = try renderer.render(template("{otp}"), values: values)
        #expect(rendered.text == "123456")
    }
}
