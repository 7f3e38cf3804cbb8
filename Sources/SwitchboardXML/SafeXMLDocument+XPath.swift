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
                throw .invalidXPath(expression: xpath, message: Self.describeXPathError(context.pointee.lastError))
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

    /// With a handler installed libxml2 records only a code and an offset for XPath errors, no message.
    private static func describeXPathError(_ error: xmlError) -> String {
        let messages: [xmlParserErrors: String] = [
            XML_XPATH_NUMBER_ERROR: "invalid number",
            XML_XPATH_UNFINISHED_LITERAL_ERROR: "unfinished literal",
            XML_XPATH_START_LITERAL_ERROR: "expected a literal",
            XML_XPATH_VARIABLE_REF_ERROR: "expected $ for a variable reference",
            XML_XPATH_UNDEF_VARIABLE_ERROR: "undefined variable",
            XML_XPATH_INVALID_PREDICATE_ERROR: "invalid predicate",
            XML_XPATH_EXPR_ERROR: "invalid expression",
            XML_XPATH_UNCLOSED_ERROR: "missing closing bracket",
            XML_XPATH_UNKNOWN_FUNC_ERROR: "unknown function",
            XML_XPATH_INVALID_OPERAND: "invalid operand",
            XML_XPATH_INVALID_TYPE: "invalid type",
            XML_XPATH_INVALID_ARITY: "wrong number of arguments",
            XML_XPATH_UNDEF_PREFIX_ERROR: "undefined namespace prefix",
            XML_XPATH_INVALID_CHAR_ERROR: "invalid character",
        ]
        let message = messages[xmlParserErrors(UInt32(bitPattern: error.code))] ?? "cannot evaluate (libxml2 error \(error.code))"
        return error.str1 == nil ? message : "\(message) at offset \(error.int1)"
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
