"""The case model (pydantic v2): one ``Case`` covers every blank of every model form."""

from .case import Case
from .choices import (
    AgentPrincipal,
    AlternativeKind,
    AssessmentKind,
    ClueChannel,
    ConsultationOutcome,
    CostHead,
    FailureGround,
    LiabilityKind,
    MaterialKind,
    ObligorKind,
    Repairability,
    SecurityKind,
    TerminationGround,
)
from .parties import Agent, Approval, Claimant, Material, Obligor, Organization, Person
from .stages import (
    Agreement,
    Allocation,
    AlternativeRestoration,
    Assessment,
    ClaimStart,
    Closure,
    Clue,
    Consultation,
    CostItem,
    Enforcement,
    Extension,
    Incident,
    Investigation,
    JudicialConfirmation,
    LaborService,
    Meeting,
    Notice,
    Objection,
    Panel,
    Payment,
    Performance,
    Restoration,
    Security,
    Share,
    TechOffset,
    Termination,
    Transfer,
)

__all__ = [
    "Agent", "AgentPrincipal", "Agreement", "Allocation", "AlternativeKind", "AlternativeRestoration", "Approval",
    "Assessment", "AssessmentKind", "Case", "ClaimStart", "Claimant", "Closure", "Clue", "ClueChannel",
    "Consultation", "ConsultationOutcome", "CostHead", "CostItem", "Enforcement", "Extension",
    "FailureGround", "Incident", "Investigation", "JudicialConfirmation", "LaborService", "LiabilityKind", "Material", "MaterialKind", "Meeting",
    "Notice", "Objection", "Obligor", "ObligorKind", "Organization", "Panel", "Payment", "Performance",
    "Person", "Repairability", "Restoration", "Security", "SecurityKind", "Share", "TechOffset", "Termination",
    "TerminationGround", "Transfer",
]
