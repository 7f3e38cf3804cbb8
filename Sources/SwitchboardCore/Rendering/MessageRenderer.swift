/// Turns a template and its values, or plain text, into the exact text to send, and refuses messages
/// that are empty or would cost more segments than allowed.
package struct MessageRenderer: Sendable {
    /// The most segments a message may take.
    package let maxSegments: Int

    /// - Parameter maxSegments: The most segments a message may take (`messages.max_segments`); at least 1.
    package init(maxSegments: Int = 3) {
        precondition(maxSegments >= 1, "a message needs at least one segment")
        self.maxSegments = maxSegments
    }

    /// Renders a template, then adds the app's OTP lines.
    /// - Parameters:
    ///   - template: The parsed template.
    ///   - values: Its values; `otp` is also what the WebOTP line carries.
    ///   - extras: Lines for OTP messages; pass `.none` for any other kind.
    /// - Returns: The text with its encoding, units and segment count.
    /// - Throws: `RenderError` when a value is missing, the message is empty or holds a control
    ///   character, a WebOTP line has no code, or the message needs more than `maxSegments` segments.
    package func render(
        _ template: MessageTemplate, values: TemplateValues, extras: OTPExtras = .none
    ) throws(RenderError) -> RenderedMessage {
        try finish(body: template.render(values), extras: extras, otp: values.otp)
    }

    /// Checks text sent as it is.
    /// - Parameter text: The message.
    /// - Returns: The text with its encoding, units and segment count.
    /// - Throws: `RenderError` when the text is empty, holds a control character or needs more than
    ///   `maxSegments` segments.
    package func render(text: String) throws(RenderError) -> RenderedMessage {
        try finish(body: text, extras: .none, otp: nil)
    }

    private func finish(body: String, extras: OTPExtras, otp: String?) throws(RenderError) -> RenderedMessage {
        // Checked before the extras: a message that is only an app hash or a WebOTP line says nothing.
        guard body.contains(where: { !$0.isWhitespace }) else { throw .empty }
        // Every message passes here, whoever sent it; the extras come from checked configuration.
        if let control = ControlCharacter.first(in: body) { throw .controlCharacter(control) }
        var text = body
        if let hash = extras.androidAppHash {
            Self.appendLine(hash, to: &text)
        }
        if let domain = extras.webOTPDomain {
            guard let otp else { throw .webOTPWithoutCode(domain: domain) }
            Self.appendLine("@\(domain) #\(otp)", to: &text)
        }

        let analysis = SMSSegmenter.analyze(text)
        guard analysis.segmentCount <= maxSegments else {
            let culprits = analysis.encoding == .ucs2
                ? SMSSegmenter.nonGSMCharacters(in: text, limit: RenderError.charactersNamed + 1) : []
            throw .tooManySegments(
                segments: analysis.segmentCount, limit: maxSegments, encoding: analysis.encoding,
                units: analysis.units, nonGSMCharacters: culprits
            )
        }
        return RenderedMessage(text: text, encoding: analysis.encoding, units: analysis.units, segmentCount: analysis.segmentCount)
    }

    /// Puts `line` on a line of its own at the end, without adding a blank line (each costs a character).
    private static func appendLine(_ line: String, to text: inout String) {
        if text.last?.isNewline == false { text += "\n" }
        text += line
    }
}
