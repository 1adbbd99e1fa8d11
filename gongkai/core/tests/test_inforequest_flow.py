"""Workflow of an application (条例 Art. 27–45), outcomes, applicant types, Art. 31."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.annual.schema import S3_COLUMNS, s3_result_rows, schema_for
from gongkai.core.identifiers import IdDocumentType
from gongkai.core.inforequest_flow import (
    DECIDABLE_OUTCOMES,
    MAX_EXTENSION_WORKING_DAYS,
    Action,
    ApplicantType,
    ClockState,
    IllegalOutcome,
    IllegalTransition,
    IntakeChannel,
    Outcome,
    OutcomeGroup,
    ReceiptDateError,
    ReplyLetter,
    Status,
    allowed_actions,
    combine_outcomes,
    outcome_for,
    receipt_date,
    transition,
)
from gongkai.core.workdays import (
    Event,
    Ledger,
    LedgerError,
    compute_ledger,
    default_calendar,
)
from gongkai.core.workdays.events import CHANNEL_LABELS

S, A = Status, Action

# The allowed moves, written out from regulation.md §7 independently of the module.
EXPECTED: dict[tuple[str, str], str] = {
    ("received", "accept"): "in_progress",
    ("received", "request_clarification"): "awaiting_clarification",
    ("received", "ask_reasons"): "awaiting_reasons",
    ("received", "decide"): "decided",
    ("received", "answer_on_the_spot"): "replied",
    ("received", "withdraw"): "withdrawn",
    ("awaiting_clarification", "receive_clarification"): "in_progress",
    ("awaiting_clarification", "expire_clarification"): "closed",
    ("awaiting_clarification", "withdraw"): "withdrawn",
    ("awaiting_reasons", "accept_reasons"): "in_progress",
    ("awaiting_reasons", "agree_delay"): "delayed",
    ("awaiting_reasons", "reject_as_excessive"): "decided",
    ("awaiting_reasons", "withdraw"): "withdrawn",
    ("in_progress", "extend"): "extended",
    ("in_progress", "start_consultation"): "in_consultation",
    ("in_progress", "issue_fee_notice"): "awaiting_fee",
    ("in_progress", "decide"): "decided",
    ("in_progress", "withdraw"): "withdrawn",
    ("extended", "start_consultation"): "in_consultation",
    ("extended", "issue_fee_notice"): "awaiting_fee",
    ("extended", "decide"): "decided",
    ("extended", "withdraw"): "withdrawn",
    ("delayed", "start_consultation"): "in_consultation",
    ("delayed", "issue_fee_notice"): "awaiting_fee",
    ("delayed", "decide"): "decided",
    ("delayed", "withdraw"): "withdrawn",
    ("in_consultation", "start_consultation"): "in_consultation",
    ("in_consultation", "end_consultation"): "in_progress",
    ("in_consultation", "withdraw"): "withdrawn",
    ("awaiting_fee", "record_payment"): "in_progress",
    ("awaiting_fee", "waive_fee"): "in_progress",
    ("awaiting_fee", "expire_fee"): "closed",
    ("awaiting_fee", "withdraw"): "withdrawn",
    ("decided", "send_reply"): "replied",
    ("decided", "revise_decision"): "in_progress",
    ("decided", "withdraw"): "withdrawn",
    ("replied", "archive"): "closed",
    # 责令重新答复 (行政复议法第六十四条, 行政诉讼法第七十条).
    ("replied", "reopen"): "in_progress",
    ("closed", "reopen"): "in_progress",
}

ALL_PAIRS = [(s, a) for s in Status for a in Action]


@pytest.mark.parametrize(("pair", "after"), sorted(EXPECTED.items()))
def test_each_allowed_move_leads_to_the_expected_status(
    pair: tuple[str, str], after: str
) -> None:
    status, action = pair
    assert transition(status, action) == Status(after)


@pytest.mark.parametrize(
    ("status", "action"),
    [p for p in ALL_PAIRS if (p[0].value, p[1].value) not in EXPECTED],
)
def test_every_pair_not_in_the_table_raises(status: Status, action: Action) -> None:
    with pytest.raises(IllegalTransition) as err:
        transition(status, action)
    assert err.value.status == status.value
    assert err.value.action == action.value


def test_an_illegal_move_is_explained_in_chinese() -> None:
    with pytest.raises(
        IllegalTransition, match="申请处于“已答复”状态，不能执行“征求意见”操作"
    ):
        transition(S.REPLIED, A.START_CONSULTATION)


@pytest.mark.parametrize(
    ("status", "action"), [("lost", "accept"), ("received", "fly")]
)
def test_unknown_status_or_action_raises_illegal_transition(
    status: str, action: str
) -> None:
    with pytest.raises(IllegalTransition, match="未知"):
        transition(status, action)


def test_a_correction_can_be_requested_only_once() -> None:
    # Art. 30: 一次性告知.
    status = transition(S.RECEIVED, A.REQUEST_CLARIFICATION)
    status = transition(status, A.RECEIVE_CLARIFICATION)
    with pytest.raises(IllegalTransition):
        transition(status, A.REQUEST_CLARIFICATION)


def test_a_delayed_case_cannot_also_be_extended() -> None:
    status = transition(transition(S.RECEIVED, A.ASK_REASONS), A.AGREE_DELAY)
    assert status is S.DELAYED
    with pytest.raises(IllegalTransition):
        transition(status, A.EXTEND)


def test_an_extended_case_cannot_be_extended_again_directly() -> None:
    with pytest.raises(IllegalTransition):
        transition(S.EXTENDED, A.EXTEND)


@pytest.mark.parametrize(
    "path",
    [
        # ordinary case with extension, third-party consultation and fee
        ["accept", "extend", "start_consultation", "end_consultation",
         "issue_fee_notice", "record_payment", "decide", "send_reply", "archive"],
        ["request_clarification", "expire_clarification"],
        ["request_clarification", "receive_clarification", "decide", "send_reply"],
        ["ask_reasons", "reject_as_excessive", "send_reply", "archive"],
        ["answer_on_the_spot", "archive"],
        ["accept", "issue_fee_notice", "expire_fee"],
        ["accept", "decide", "revise_decision", "decide", "send_reply"],
    ],
)  # fmt: skip
def test_realistic_paths_end_in_a_concluded_status(path: list[str]) -> None:
    status = S.RECEIVED
    for action in path:
        status = transition(status, action)
    assert status.is_concluded


def test_concluded_statuses_are_replied_closed_and_withdrawn() -> None:
    assert {s for s in Status if s.is_concluded} == {S.REPLIED, S.CLOSED, S.WITHDRAWN}


def test_nothing_can_be_done_to_a_withdrawn_case() -> None:
    assert allowed_actions(S.WITHDRAWN) == ()


def test_a_closed_case_only_reopens_on_a_review_decision_or_judgment() -> None:
    assert allowed_actions(S.CLOSED) == (A.REOPEN,)


def test_allowed_actions_lists_the_buttons_of_a_status() -> None:
    assert set(allowed_actions(S.AWAITING_FEE)) == {
        A.RECORD_PAYMENT,
        A.WAIVE_FEE,
        A.EXPIRE_FEE,
        A.WITHDRAW,
    }


def _reachable(start: Status) -> set[Status]:
    seen, todo = {start}, [start]
    while todo:
        current = todo.pop()
        for action in Action:
            try:
                nxt = transition(current, action)
            except IllegalTransition:
                continue
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_every_status_is_reachable_from_received() -> None:
    assert _reachable(S.RECEIVED) == set(Status)


@pytest.mark.parametrize("status", list(Status))
def test_every_open_case_can_still_be_concluded(status: Status) -> None:
    assert any(s.is_concluded for s in _reachable(status))


@given(st.lists(st.sampled_from(list(Action)), max_size=30))
def test_random_action_sequences_stay_inside_the_table(actions: list[Action]) -> None:
    status = S.RECEIVED
    for action in actions:
        try:
            nxt = transition(status, action)
        except IllegalTransition:
            assert (status.value, action.value) not in EXPECTED
            continue
        assert EXPECTED[(status.value, action.value)] == nxt.value
        status = nxt


@pytest.mark.parametrize(
    ("status", "clock"),
    [
        (S.RECEIVED, ClockState.RUNNING),
        (S.IN_PROGRESS, ClockState.RUNNING),
        (S.EXTENDED, ClockState.RUNNING),
        (S.AWAITING_CLARIFICATION, ClockState.RESTARTS),  # Art. 30
        (S.IN_CONSULTATION, ClockState.PAUSED),  # Art. 33(3)
        (S.AWAITING_FEE, ClockState.PAUSED),  # fees.md §3
        (S.REPLIED, ClockState.STOPPED),
        (S.WITHDRAWN, ClockState.STOPPED),
    ],
)
def test_each_status_says_what_the_reply_clock_does(
    status: Status, clock: ClockState
) -> None:
    assert status.clock is clock


def test_every_status_and_action_has_a_chinese_label() -> None:
    for item in [*Status, *Action]:
        assert item.label
        assert all("\u4e00" <= ch <= "\u9fff" or ch in "，、（）" for ch in item.label)


# --------------------------------------------------------------------------- extension

# Whether an extension is lawful is the deadline ledger's alone (条例第三十三条第二款:
# once, at most 20 working days, decided within the reply period), asked with the
# case's events and the extension. Received 2025-01-20 (due 2025-02-21, worked in
# test_extension_after_deadline.py); every extension here is decided on 2025-02-03
# ... 2025-02-10, well inside the period.


def _extended(*sizes: int) -> Ledger:
    events = [Event("received", date(2025, 1, 20))]
    for i, n in enumerate(sizes):
        events.append(
            Event("extension", date(2025, 2, 5 + i), working_days=n, approver="王科长")
        )
    return compute_ledger(events, default_calendar(), date(2025, 2, 10))


@pytest.mark.parametrize(
    ("already", "requested", "total"),
    [(0, 20, 20), (0, 5, 5), (0, 1, 1)],
)
def test_extensions_up_to_twenty_working_days_in_total_are_allowed(
    already: int, requested: int, total: int
) -> None:
    sizes = [n for n in (already, requested) if n]
    assert _extended(*sizes).extension_working_days == total
    assert total <= MAX_EXTENSION_WORKING_DAYS


@pytest.mark.parametrize(
    ("already", "requested"), [(0, 21), (10, 11), (20, 1), (0, 0), (0, -3), (10, 10)]
)
def test_extensions_beyond_twenty_days_or_not_positive_are_refused(
    already: int, requested: int
) -> None:
    """A second extension is refused whatever its size: the period is extended once
    (so 10 + 10 is refused too, though it stays within 20 days in total)."""
    sizes = [n for n in (already, requested) if n] if already else [requested]
    with pytest.raises(LedgerError) as err:
        _extended(*sizes)
    assert "延长" in str(err.value)


def test_a_second_extension_names_the_article() -> None:
    with pytest.raises(LedgerError, match="条例第三十三条只允许延长一次答复期限"):
        _extended(5, 5)


def test_the_workflow_has_no_extension_rule_of_its_own() -> None:
    """One legal rule, one place: the flow table says which steps follow which, the
    ledger whether an extension is lawful."""
    import gongkai.core.inforequest_flow as flow

    assert not hasattr(flow, "check_extension")


# --------------------------------------------------------------------------- outcomes


def test_there_are_twenty_one_outcomes_with_distinct_keys() -> None:
    keys = [o.report_key for o in Outcome]
    assert len(keys) == 21
    assert len(set(keys)) == 21


def test_outcome_keys_are_exactly_the_result_rows_of_the_2021_schema() -> None:
    # core.annual.schema is written separately from the spec; the two must agree.
    assert [o.value for o in Outcome] == list(s3_result_rows("2021"))


def test_outcome_labels_match_the_printed_2021_labels_of_the_schema() -> None:
    printed = {r.key: r.label for r in schema_for("2021").s3_rows}
    for outcome in Outcome:
        assert outcome.label == printed[outcome.value]


@pytest.mark.parametrize(
    ("outcome", "key", "label", "basis"),
    [
        (Outcome.GRANTED, "s3.granted", "（一）予以公开", "第三十六条第（一）项、第（二）项"),
        (Outcome.PARTIAL, "s3.partial",
         "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "第三十七条"),
        (Outcome.WITHHELD_STATE_SECRET, "s3.withheld.state_secret", "1.属于国家秘密", "第十四条"),
        (Outcome.WITHHELD_OTHER_LAWS, "s3.withheld.other_laws", "2.其他法律行政法规禁止公开", "第十四条"),
        (Outcome.WITHHELD_SECURITY_STABILITY, "s3.withheld.security_stability",
         "3.危及“三安全一稳定”", "第十四条"),
        (Outcome.WITHHELD_THIRD_PARTY, "s3.withheld.third_party", "4.保护第三方合法权益",
         "第十五条、第三十二条"),
        (Outcome.WITHHELD_INTERNAL_AFFAIRS, "s3.withheld.internal_affairs",
         "5.属于三类内部事务信息", "第十六条第一款"),
        (Outcome.WITHHELD_PROCESS_INFO, "s3.withheld.process_info", "6.属于四类过程性信息",
         "第十六条第二款"),
        (Outcome.WITHHELD_CASE_FILE, "s3.withheld.case_file", "7.属于行政执法案卷", "第十六条第二款"),
        (Outcome.WITHHELD_QUERY_MATTER, "s3.withheld.query_matter", "8.属于行政查询事项",
         "第三十六条第（七）项"),
        (Outcome.UNABLE_NOT_HELD, "s3.unable.not_held", "1.本机关不掌握相关政府信息",
         "第三十六条第（四）项、第（五）项"),
        (Outcome.UNABLE_NEEDS_CREATION, "s3.unable.needs_creation", "2.没有现成信息需要另行制作",
         "第三十八条"),
        (Outcome.UNABLE_UNCLEAR, "s3.unable.unclear", "3.补正后申请内容仍不明确", "第三十条"),
        (Outcome.REJECTED_PETITION, "s3.rejected.petition", "1.信访举报投诉类申请", "第三十九条第一款"),
        (Outcome.REJECTED_REPEAT, "s3.rejected.repeat", "2.重复申请", "第三十六条第（六）项"),
        (Outcome.REJECTED_PUBLICATION, "s3.rejected.publication", "3.要求提供公开出版物",
         "第三十九条第二款"),
        (Outcome.REJECTED_EXCESSIVE, "s3.rejected.excessive", "4.无正当理由大量反复申请", "第三十五条"),
        (Outcome.REJECTED_CONFIRM, "s3.rejected.confirm", "5.要求行政机关确认或重新出具已获取信息",
         "第二条、第三十八条"),
        (Outcome.OTHER_NO_SUPPLEMENT, "s3.other.no_supplement",
         "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "第三十条"),
        (Outcome.OTHER_NO_FEE, "s3.other.no_fee",
         "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
         "第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"),
        (Outcome.OTHER_OTHER, "s3.other.other", "3.其他", ""),
    ],
)  # fmt: skip
def test_each_outcome_has_its_key_label_and_legal_basis(
    outcome: Outcome, key: str, label: str, basis: str
) -> None:
    assert outcome.report_key == key
    assert outcome.label == label
    assert outcome.legal_basis == basis


def test_outcome_cell_keys_are_valid_table_three_cells() -> None:
    all_cells = {f"s3.{r}.{c.key}" for r in s3_result_rows("2021") for c in S3_COLUMNS}
    for outcome in Outcome:
        for applicant in ApplicantType:
            assert outcome.cell_key(applicant) in all_cells
    assert Outcome.WITHHELD_THIRD_PARTY.cell_key(ApplicantType.LEGAL) == (
        "s3.withheld.third_party.legal"
    )


@pytest.mark.parametrize(
    ("group", "letter"),
    [
        (OutcomeGroup.GRANTED, ReplyLetter.GRANTED),
        (OutcomeGroup.PARTIAL, ReplyLetter.PARTIAL),
        (OutcomeGroup.WITHHELD, ReplyLetter.WITHHELD),
        (OutcomeGroup.UNABLE, ReplyLetter.UNABLE),
        (OutcomeGroup.REJECTED, ReplyLetter.REJECTED),
        (OutcomeGroup.OTHER, ReplyLetter.TERMINATED),
    ],
)
def test_each_group_of_outcomes_uses_one_letter(
    group: OutcomeGroup, letter: ReplyLetter
) -> None:
    members = [o for o in Outcome if o.group is group]
    assert members
    assert {o.letter for o in members} == {letter}


def test_refusals_to_disclose_require_review_before_a_suit() -> None:
    # 行政复议法 2023 第二十三条第一款第（四）项: 不予公开 → 复议前置.
    expected = {o for o in Outcome if o.value.startswith("withheld.")} | {
        Outcome.PARTIAL
    }
    assert {o for o in Outcome if o.review_first} == expected


def test_only_lapse_and_other_outcomes_end_without_a_decision() -> None:
    assert {o for o in Outcome if o.ends_without_decision} == {
        Outcome.OTHER_NO_SUPPLEMENT,
        Outcome.OTHER_NO_FEE,
        Outcome.OTHER_OTHER,
    }


def test_group_labels_are_the_printed_ones() -> None:
    assert OutcomeGroup.WITHHELD.label == "（三）不予公开"
    assert OutcomeGroup.OTHER.label == "（六）其他处理"


@pytest.mark.parametrize(
    ("action", "outcome"),
    [
        (A.EXPIRE_CLARIFICATION, Outcome.OTHER_NO_SUPPLEMENT),
        (A.EXPIRE_FEE, Outcome.OTHER_NO_FEE),
        (A.WITHDRAW, Outcome.OTHER_OTHER),
        (A.REJECT_AS_EXCESSIVE, Outcome.REJECTED_EXCESSIVE),
    ],
)
def test_closing_actions_fix_their_outcome(action: Action, outcome: Outcome) -> None:
    assert outcome_for(action) is outcome
    assert outcome_for(action, outcome) is outcome
    with pytest.raises(IllegalOutcome):
        outcome_for(action, Outcome.GRANTED)


def test_decide_needs_a_chosen_outcome() -> None:
    assert outcome_for(A.DECIDE, "withheld.third_party") is Outcome.WITHHELD_THIRD_PARTY
    assert outcome_for(A.ANSWER_ON_THE_SPOT, Outcome.GRANTED) is Outcome.GRANTED
    with pytest.raises(IllegalOutcome, match="必须选择办理结果"):
        outcome_for(A.DECIDE)


@pytest.mark.parametrize(
    "outcome",
    [Outcome.OTHER_NO_SUPPLEMENT, Outcome.OTHER_NO_FEE, Outcome.REJECTED_EXCESSIVE],
)
def test_decide_cannot_pick_an_outcome_that_needs_its_own_procedure(
    outcome: Outcome,
) -> None:
    assert outcome not in DECIDABLE_OUTCOMES
    with pytest.raises(IllegalOutcome):
        outcome_for(A.DECIDE, outcome)


def test_actions_that_conclude_nothing_take_no_outcome() -> None:
    assert outcome_for(A.EXTEND) is None
    with pytest.raises(IllegalOutcome):
        outcome_for(A.EXTEND, Outcome.GRANTED)


# --------------------------------------------------------------------------- applicants


@pytest.mark.parametrize(
    ("applicant", "column", "label", "organisation"),
    [
        (ApplicantType.NATURAL, "natural", "自然人", False),
        (ApplicantType.COMMERCIAL, "commercial", "商业企业", True),
        (ApplicantType.RESEARCH, "research", "科研机构", True),
        (ApplicantType.SOCIAL, "social", "社会公益组织", True),
        (ApplicantType.LEGAL, "legal", "法律服务机构", True),
        (ApplicantType.OTHER, "other", "其他", True),
    ],
)
def test_applicant_types_map_to_the_table_columns(
    applicant: ApplicantType, column: str, label: str, organisation: bool
) -> None:
    assert applicant.column == column
    assert applicant.label == label
    assert applicant.is_organisation is organisation
    assert ApplicantType(column) is applicant


def test_applicant_columns_agree_with_the_schema_columns() -> None:
    schema_columns = [(c.key, c.label) for c in S3_COLUMNS if c.key != "total"]
    assert [(a.column, a.label) for a in ApplicantType] == schema_columns


def test_organisations_identify_by_credit_code_and_people_by_personal_documents() -> (
    None
):
    assert ApplicantType.COMMERCIAL.accepted_documents == (IdDocumentType.CREDIT_CODE,)
    assert IdDocumentType.CREDIT_CODE not in ApplicantType.NATURAL.accepted_documents
    assert IdDocumentType.RESIDENT_ID in ApplicantType.NATURAL.accepted_documents
    assert ApplicantType.LEGAL.group_label == "法人或其他组织"
    assert ApplicantType.NATURAL.group_label == ""


# --------------------------------------------------------------------------- Art. 31

MON, TUE, WED, FRI = (
    date(2026, 3, 2),
    date(2026, 3, 3),
    date(2026, 3, 4),
    date(2026, 3, 6),
)


@pytest.mark.parametrize(
    ("channel", "kwargs", "expected"),
    [
        (IntakeChannel.IN_PERSON, {}, MON),
        (IntakeChannel.ORAL, {}, MON),
        (IntakeChannel.IN_PERSON, {"confirmed_on": WED}, MON),  # extra dates ignored
        (IntakeChannel.REGISTERED_POST, {"signed_for_on": WED}, WED),
        (
            IntakeChannel.REGISTERED_POST,
            {"signed_for_on": WED, "confirmed_on": FRI},
            WED,
        ),
        (IntakeChannel.ORDINARY_LETTER, {"confirmed_on": FRI}, FRI),
        (IntakeChannel.FAX, {"confirmed_on": TUE}, TUE),
        (IntakeChannel.EMAIL, {"confirmed_on": WED}, WED),
        (IntakeChannel.ONLINE, {"confirmed_on": MON}, MON),
        ("online", {"confirmed_on": TUE}, TUE),
    ],
)
def test_receipt_date_follows_article_31(
    channel: IntakeChannel | str, kwargs: dict[str, date], expected: date
) -> None:
    assert receipt_date(channel, submitted_on=MON, **kwargs) == expected


@pytest.mark.parametrize(
    ("channel", "kwargs"),
    [
        (IntakeChannel.REGISTERED_POST, {}),
        (
            IntakeChannel.REGISTERED_POST,
            {"confirmed_on": WED},
        ),  # needs the signing date
        (IntakeChannel.ORDINARY_LETTER, {"signed_for_on": WED}),  # needs confirmation
        (IntakeChannel.FAX, {}),
        (IntakeChannel.EMAIL, {}),
        (IntakeChannel.ONLINE, {}),
    ],
)
def test_receipt_date_needs_the_date_its_channel_uses(
    channel: IntakeChannel, kwargs: dict[str, date]
) -> None:
    with pytest.raises(ReceiptDateError, match="第三十一条"):
        receipt_date(channel, submitted_on=MON, **kwargs)


def test_a_signing_date_before_posting_is_refused() -> None:
    with pytest.raises(ReceiptDateError, match="不能早于"):
        receipt_date(IntakeChannel.REGISTERED_POST, submitted_on=WED, signed_for_on=MON)


def test_every_channel_has_a_chinese_label() -> None:
    assert IntakeChannel.ORDINARY_LETTER.label == "平常信函"
    assert all(c.label for c in IntakeChannel)


def test_channels_use_the_deadline_ledger_keys() -> None:
    # the keys core.workdays.events accepts for "received"
    for channel in IntakeChannel:
        assert channel.ledger_channel in CHANNEL_LABELS
    assert IntakeChannel.EMAIL.ledger_channel == "online"
    assert IntakeChannel.REGISTERED_POST.ledger_channel == "registered_post"


# --------------------------------------------------------------------------- combining items

OC = Outcome


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([OC.GRANTED], OC.GRANTED),
        ([OC.GRANTED, OC.GRANTED], OC.GRANTED),
        ([OC.GRANTED, OC.UNABLE_NOT_HELD], OC.PARTIAL),
        ([OC.WITHHELD_THIRD_PARTY, OC.GRANTED], OC.PARTIAL),
        ([OC.PARTIAL, OC.REJECTED_REPEAT], OC.PARTIAL),
        ([OC.UNABLE_NOT_HELD, OC.WITHHELD_PROCESS_INFO], OC.WITHHELD_PROCESS_INFO),
        ([OC.REJECTED_PUBLICATION, OC.UNABLE_NEEDS_CREATION], OC.UNABLE_NEEDS_CREATION),
        ([OC.WITHHELD_CASE_FILE, OC.WITHHELD_STATE_SECRET], OC.WITHHELD_STATE_SECRET),
        (["unable.not_held", "rejected.petition"], OC.UNABLE_NOT_HELD),
    ],
)
def test_items_with_different_outcomes_count_once(
    items: list[Outcome | str], expected: Outcome
) -> None:
    combined = combine_outcomes(items)
    assert combined.outcome is expected
    assert combined.explanation


def test_a_custom_precedence_decides_between_refusal_grounds() -> None:
    precedence = [OC.UNABLE_NOT_HELD, OC.WITHHELD_PROCESS_INFO]
    combined = combine_outcomes(
        [OC.WITHHELD_PROCESS_INFO, OC.UNABLE_NOT_HELD], precedence=precedence
    )
    assert combined.outcome is OC.UNABLE_NOT_HELD
    with pytest.raises(IllegalOutcome, match="优先顺序中没有"):
        combine_outcomes(
            [OC.REJECTED_REPEAT, OC.REJECTED_PETITION], precedence=precedence
        )


@pytest.mark.parametrize("items", [[], [OC.GRANTED, OC.OTHER_OTHER], [OC.OTHER_NO_FEE]])
def test_whole_case_outcomes_and_empty_lists_cannot_be_combined(
    items: list[Outcome],
) -> None:
    with pytest.raises(IllegalOutcome):
        combine_outcomes(items)


@given(
    st.lists(
        st.sampled_from([o for o in Outcome if o.group is not OutcomeGroup.OTHER]),
        min_size=1,
    )
)
def test_the_combined_outcome_is_one_of_the_items_or_partial(
    items: list[Outcome],
) -> None:
    combined = combine_outcomes(items).outcome
    assert combined in items or combined is OC.PARTIAL
