internal import CLibXML2

extension SafeXMLDocument {
    /// Evaluates an XPath 1.0 expression and returns its first result as text.
    ///
    /// For a node-set this is the string value of the first node in document order (an element's text
    /// content including descendants, an attribute's value); for `string(...)`, `count(...)`, `boolean(...)`
    /// and other scalar expressions it is XPath's string conversion of the value.
    /// - Parameters:
    ///   - xpath: The expression, e.g. `/soap:Envelope/soap:Body/pa:CreateResponse/pa:OverallStatus`.
    ///     Unprefixed names match only elements in no namespace, as XPath 1.0 requires.
    ///   - namespaces: The prefixes the expression uses, mapped to namespace URIs.
    /// - Returns: The text, or `nil` when the expression selects no nodes.
    /// - Throws: `XMLError.invalidXPath` for a syntax error or an unknown prefix.
    package func string(at xpath: String, namespaces: [String: String] = [:]) throws(XMLError) -> String? {
        try evaluate(xpath, namespaces: namespaces, firstOnly: true).first
    }

    /// Evaluates an XPath 1.0 expression and returns every result as text.
    /// - Parameters:
    ///   - xpath: The expression; see `string(at:namespaces:)`.
    ///   - namespaces: The prefixes the expression uses, mapped to namespace URIs.
    /// - Returns: The string value of each selected node in document order, or one element for a scalar
    ///   expression; empty when no nodes are selected.
    /// - Throws: `XMLError.invalidXPath` for a syntax error or an unknown prefix.
    package func strings(at xpath: String, namespaces: [String: String] = [:]) throws(XMLError) -> [String] {
        try evaluate(xpath, namespaces: namespaces, firstOnly: false)
    }

    private func evaluate(_ xpath: String, namespaces: [String: String], firstOnly: Bool) throws(XMLError) -> [String] {
        try withDocument { (document) throws(XMLError) -> [String] in
            guard let context = xmlXPathNewContext(document) else { throw .outOfMemory }
            defer { xmlXPathFreeContext(context) }
            // Without a handler libxml2 prints XPath errors to stderr; the error stays in `lastError`.
            context.pointee.error = { _, _ in }

            for (prefix, uri) in namespaces {
                guard xmlXPathRegisterNs(context, prefix.xmlChars, uri.xmlChars) == 0 else {
                    throw .invalidXPath(expression: xpath, message: "cannot register namespace prefix '\(prefix)'")
                }
            }

            guard let result = xmlXPathEvalExpression(xpath.xmlChars, context) else {
                let message = XMLError.libxml2Message(context.pointee.lastError.message, fallback: "cannot evaluate")
                throw .invalidXPath(expression: xpath, message: message)
            }
            defer { xmlXPathFreeObject(result) }

            guard result.pointee.type == XPATH_NODESET else {
                return [Self.takeString(xmlXPathCastToString(result))]
            }
            guard let nodes = result.pointee.nodesetval, nodes.pointee.nodeNr > 0 else { return [] }
            let count = firstOnly ? 1 : Int(nodes.pointee.nodeNr)
            return (0..<count).map { index in
                Self.takeString(xmlXPathCastNodeToString(nodes.pointee.nodeTab[index]))
            }
        }
    }

    /// Copies a string libxml2 allocated for us, then frees it.
    private static func takeString(_ chars: UnsafeMutablePointer<xmlChar>?) -> String {
        guard let chars else { return "" }
        defer { switchboard_xmlFree(chars) }
        return String(cString: chars)
    }
}

extension String {
    /// The string's NUL-terminated UTF-8 bytes as libxml2's `xmlChar`, for arguments libxml2 copies.
    fileprivate var xmlChars: [xmlChar] {
        Array(utf8) + [0]
    }
}
