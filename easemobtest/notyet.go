package easemobtest

import "github.com/emquota/easemob/internal/catalog"

// notEmulated lists the catalog ops no module serves yet, in catalog order.
// They are routed, authenticated, charged to their quota and validated,
// then answer 501 unsupported_service_operation. Every documented op is
// served today; a newly documented one goes here until a module serves
// it. TestEveryOpHandledOrListed holds the two in step with the catalog.
var notEmulated = []*catalog.Op{}
