"""How the synthetic rows are distributed: weights by kind of body, and the mix of
applicants, channels, outcomes, open statuses and publication genres (data only).
"""

from __future__ import annotations

from gongkai.core.inforequest_flow import Status
from gongkai.orgs.models import Organisation

K = Organisation.Kind

# How many applications / publications a body of each kind gets, relative.
_REQUEST_WEIGHT: dict[tuple[str, int], float] = {
    (K.PROVINCE, 0): 40.0,
    (K.DEPARTMENT, 1): 30.0,
    (K.CITY, 1): 12.0,
    (K.DEPARTMENT, 2): 6.0,
    (K.DISTRICT, 2): 5.0,
    (K.DEPARTMENT, 3): 1.2,
    (K.SUBDISTRICT, 3): 0.3,
    (K.TOWNSHIP, 3): 0.2,
    (K.COMMUNITY, 4): 0.01,
    (K.VILLAGE, 4): 0.01,
}
_PUBLICATION_WEIGHT: dict[tuple[str, int], float] = {
    (K.PROVINCE, 0): 20.0,
    (K.DEPARTMENT, 1): 8.0,
    (K.CITY, 1): 10.0,
    (K.DEPARTMENT, 2): 4.0,
    (K.DISTRICT, 2): 6.0,
    (K.DEPARTMENT, 3): 2.0,
    (K.SUBDISTRICT, 3): 1.5,
    (K.TOWNSHIP, 3): 1.5,
    (K.COMMUNITY, 4): 0.2,
    (K.VILLAGE, 4): 0.2,
}

# Applicant types (table 三 columns): mostly natural persons.
_APPLICANTS = (
    ("natural", 88.0),
    ("commercial", 5.0),
    ("research", 0.7),
    ("social", 0.8),
    ("legal", 3.5),
    ("other", 2.0),
)
_CHANNELS = (
    ("online", 55.0),
    ("registered_post", 22.0),
    ("in_person", 12.0),
    ("email", 5.0),
    ("ordinary_letter", 4.0),
    ("fax", 1.0),
    ("oral", 1.0),
)
# Outcome mix from published reports: ~40 % granted, ~20 % unable, ~10 % rejected.
_OUTCOMES = (
    ("granted", 40.0),
    ("partial", 8.0),
    ("withheld.state_secret", 0.3),
    ("withheld.other_laws", 0.7),
    ("withheld.security_stability", 0.3),
    ("withheld.third_party", 1.0),
    ("withheld.internal_affairs", 1.5),
    ("withheld.process_info", 1.5),
    ("withheld.case_file", 0.5),
    ("withheld.query_matter", 0.7),
    ("unable.not_held", 15.0),
    ("unable.needs_creation", 2.0),
    ("unable.unclear", 3.0),
    ("rejected.petition", 3.0),
    ("rejected.repeat", 3.0),
    ("rejected.publication", 2.0),
    ("rejected.excessive", 0.7),
    ("rejected.confirm", 0.8),
    ("other.no_supplement", 8.0),
    ("other.no_fee", 0.5),
    ("other.other", 6.5),
)
_OPEN_STATUSES = (
    (Status.IN_PROGRESS.value, 60.0),
    (Status.RECEIVED.value, 15.0),
    (Status.EXTENDED.value, 10.0),
    (Status.AWAITING_CLARIFICATION.value, 8.0),
    (Status.IN_CONSULTATION.value, 5.0),
    (Status.AWAITING_FEE.value, 2.0),
)
_GENRES = (
    ("notice", 35.0),
    ("news", 30.0),
    ("normative", 5.0),
    ("interpretation", 4.0),
    ("plan", 8.0),
    ("report", 8.0),
    ("list", 8.0),
    ("other", 2.0),
)
