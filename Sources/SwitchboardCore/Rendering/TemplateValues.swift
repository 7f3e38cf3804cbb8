/// What fills a template's placeholders for one message.
package struct TemplateValues: Sendable, Hashable {
    /// Fills `{app}`.
    package var app: String
    /// Fills `{otp}`; `nil` for messages that carry no code.
    package var otp: String?
    /// Fills `{minutes}`.
    package var minutes: Int?

    package init(app: String, otp: String? = nil, minutes: Int? = nil) {
        self.app = app
        self.otp = otp
        self.minutes = minutes
    }

    /// The text that replaces `placeholder`, or `nil` when no value was given for it.
    package func value(for placeholder: TemplatePlaceholder) -> String? {
        switch placeholder {
        case .app: app
        case .otp: otp
        case .minutes: minutes.map(String.init)
        }
    }
}
