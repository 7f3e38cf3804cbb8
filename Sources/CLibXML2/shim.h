// The parts of libxml2 that SwitchboardXML uses: the parser, the tree and XPath.
// Include paths come from pkg-config (`libxml-2.0`), so this works with the distribution's headers.
#ifndef SWITCHBOARD_CLIBXML2_SHIM_H
#define SWITCHBOARD_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian/Ubuntu build libxml2 with ICU, and then <libxml/encoding.h> includes the system's
// <unicode/ucnv.h>, which clashes ("'UErrorCode' has different definitions") with Foundation's own ICU
// copy in every module that imports Foundation and (even transitively) this one. The ICU-only parts are
// the fields of xmlCharEncodingHandler, which Swift never touches (it only passes pointers to it), so
// hiding them changes nothing we use.
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

// `xmlFree` is a mutable global function pointer, which Swift 6 refuses to read; libxml2 sets it once,
// before any parsing, so calling through it from C is safe.
static inline void switchboard_xmlFree(void *pointer) {
    xmlFree(pointer);
}

#endif
