import SwitchboardCore
import Testing

@Suite struct MessageTemplateTests {
    let values = TemplateValues(app: "Acme", otp: "123456", minutes: 5)

    @Test func parsesLiteralsAndPlaceholdersOnce() throws {
        let template = try MessageTemplate(parsing: "{otp} is your {app} code. Valid for {minutes} min.")
        #expect(template.parts == [
            .placeholder(.otp), .literal(" is your "), .placeholder(.app), .literal(" code. Valid for "),
            .placeholder(.minutes), .literal(" min."),
        ])
        #expect(template.placeholders == [.otp, .app, .minutes])
        #expect(try template.render(values) == "123456 is your Acme code. Valid for 5 min.")
    }

    @Test func doubledBracesAreLiteral() throws {
        let template = try MessageTemplate(parsing: "{{otp}} {otp} }}{{ {{{otp}}}")
        #expect(template.placeholders == [.otp])
        #expect(template.parts == [.literal("{otp} "), .placeholder(.otp), .literal(" }{ {"), .placeholder(.otp), .literal("}")])
        #expect(try template.render(values) == "{otp} 123456 }{ {123456}")
    }

    @Test func templateWithoutPlaceholdersRendersAsWritten() throws {
        let template = try MessageTemplate(parsing: "Welcome!")
        #expect(template.placeholders.isEmpty)
        #expect(try template.render(TemplateValues(app: "Acme")) == "Welcome!")
    }

    @Test func onlyUsedPlaceholdersNeedValues() throws {
        let template = try MessageTemplate(parsing: "Hello from {app}")
        #expect(try template.render(TemplateValues(app: "Acme", otp: nil, minutes: nil)) == "Hello from Acme")
    }

    @Test func missingValueThrows() throws {
        let template = try MessageTemplate(parsing: "{app}: {otp}")
        #expect(throws: RenderError.missingValue(.otp)) {
            try template.render(TemplateValues(app: "Acme"))
        }
        #expect(TemplateValues(app: "Acme").value(for: .minutes) == nil)
        #expect(TemplateValues(app: "Acme", minutes: 10).value(for: .minutes) == "10")
    }

    @Test(arguments: [
        ("Code {opt}", TemplateError.Reason.unknownPlaceholder("opt", suggestion: .otp), 5),
        ("{App} code", .unknownPlaceholder("App", suggestion: .app), 0),
        ("valid {minute} min", .unknownPlaceholder("minute", suggestion: .minutes), 6),
        ("{ otp }", .unknownPlaceholder(" otp ", suggestion: .otp), 0),
        ("{code}", .unknownPlaceholder("code", suggestion: nil), 0),
        ("{otp is {app}", .unclosedBrace, 0),
        ("code {otp", .unclosedBrace, 5),
        ("code } here", .unmatchedClosingBrace, 5),
        ("{otp}}", .unmatchedClosingBrace, 5),
        ("{{otp}", .unmatchedClosingBrace, 5),
        ("a {} b", .emptyPlaceholder, 2),
        // Offsets count characters, so a family emoji is one.
        ("👨‍👩‍👧 {x}", .unknownPlaceholder("x", suggestion: nil), 2),
    ])
    func rejectsBadTemplates(source: String, reason: TemplateError.Reason, offset: Int) {
        #expect(throws: TemplateError(reason, offset: offset)) {
            try MessageTemplate(parsing: source)
        }
    }

    @Test func unknownPlaceholderMessageSuggestsAndListsKnown() {
        let typo = TemplateError(.unknownPlaceholder("opt", suggestion: .otp), offset: 5)
        #expect(typo.message.contains("unknown placeholder {opt}"))
        #expect(typo.message.contains("did you mean {otp}?"))
        #expect(typo.message.contains("{app}, {otp}, {minutes}"))
        #expect(typo.description.hasSuffix("(at character 6 of the template)"))

        let unrelated = TemplateError(.unknownPlaceholder("code", suggestion: nil), offset: 0)
        #expect(!unrelated.message.contains("did you mean"))
        #expect(unrelated.message.contains("{app}, {otp}, {minutes}"))
    }

    @Test func otherErrorMessagesSayHowToWriteABrace() {
        #expect(TemplateError(.unclosedBrace, offset: 0).message.contains("'{{'"))
        #expect(TemplateError(.unmatchedClosingBrace, offset: 0).message.contains("'}}'"))
        #expect(TemplateError(.emptyPlaceholder, offset: 0).message.contains("empty placeholder {}"))
    }

    @Test func equalSourcesAreEqualTemplates() throws {
        #expect(try MessageTemplate(parsing: "{otp}") == MessageTemplate(parsing: "{otp}"))
        #expect(try MessageTemplate(parsing: "{otp}") != MessageTemplate(parsing: "{otp} "))
        #expect(try MessageTemplate(parsing: "{otp}").source == "{otp}")
    }
}
