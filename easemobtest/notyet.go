package easemobtest

import "github.com/emquota/easemob/internal/catalog"

// notEmulated lists the catalog ops no module serves yet, in catalog order.
// They are routed, authenticated, charged to their quota and validated,
// then answer 501 unsupported_service_operation. A module that starts
// serving an op removes it here; TestEveryOpHandledOrListed holds the two
// in step with the catalog.
var notEmulated = []*catalog.Op{
	catalog.PresenceSetStatus,
	catalog.PresenceSubscribe,
	catalog.PresenceGetBatch,
	catalog.PresenceUnsubscribe,
	catalog.PresenceListSubscriptions,
	catalog.PresenceGetGroupOnlineCount,
	catalog.ThreadsList,
	catalog.ThreadsListByUser,
	catalog.ThreadsListByUserInGroup,
	catalog.ThreadsCreate,
	catalog.ThreadsUpdate,
	catalog.ThreadsDelete,
	catalog.ThreadsListMembers,
	catalog.ThreadsAddMembers,
	catalog.ThreadsRemoveMembers,
	catalog.ModerationCheckText,
	catalog.ModerationCreateList,
	catalog.ModerationUpdateList,
	catalog.ModerationSearchLists,
	catalog.ModerationDeleteList,
	catalog.ModerationAddWords,
	catalog.ModerationUpdateWord,
	catalog.ModerationSearchWords,
	catalog.ModerationDeleteWord,
	catalog.ModerationDeleteWords,
	catalog.CallbacksGetStorageInfo,
	catalog.CallbacksRetry,
}
