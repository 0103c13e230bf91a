// The clinical catalogue behind healthcare data, so codes are consistent with each other:
// each condition carries its SNOMED CT and ICD-10-CM codes, the ages it occurs at, the
// medications that treat it (RxNorm), and the lab observations that follow it (LOINC, UCUM
// units). Codes are real entries of those code systems, chosen to fit; this is demo data, not
// clinical guidance. Code system URIs are the ones FHIR R4 names (terminology.hl7.org).

export const SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  icd10: 'http://hl7.org/fhir/sid/icd-10-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  obsCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
} as const;

export interface Medication {
  rxnorm: string;
  display: string;
  dosage: string;
  /** Dosage text for children, when it differs. */
  paediatricDosage?: string;
}

export interface ConditionCode {
  key: string;
  snomed: string;
  display: string;
  icd10: string;
  icd10Display: string;
  ages: 'child' | 'adult' | 'any';
  medications: Medication[];
  labs: string[];
  /** How the condition moves vitals: systolic mmHg, heart rate /min. */
  effect?: { systolic?: number; heartRate?: number };
}

export const CONDITIONS: readonly ConditionCode[] = [
  {
    key: 'hypertension', snomed: '59621000', display: 'Essential hypertension', icd10: 'I10', icd10Display: 'Essential (primary) hypertension', ages: 'adult',
    medications: [
      { rxnorm: '314076', display: 'lisinopril 10 MG Oral Tablet', dosage: 'Take 1 tablet by mouth once daily' },
      { rxnorm: '197361', display: 'amlodipine 5 MG Oral Tablet', dosage: 'Take 1 tablet by mouth once daily' },
    ],
    labs: [], effect: { systolic: 22, heartRate: 4 },
  },
  {
    key: 'type-2-diabetes', snomed: '44054006', display: 'Diabetes mellitus type 2', icd10: 'E11.9', icd10Display: 'Type 2 diabetes mellitus without complications', ages: 'adult',
    medications: [{ rxnorm: '861007', display: 'metformin hydrochloride 500 MG Oral Tablet', dosage: 'Take 1 tablet by mouth twice daily with meals' }],
    labs: ['4548-4', '2339-0'], effect: { systolic: 6 },
  },
  {
    key: 'hyperlipidemia', snomed: '55822004', display: 'Hyperlipidemia', icd10: 'E78.5', icd10Display: 'Hyperlipidemia, unspecified', ages: 'adult',
    medications: [{ rxnorm: '617310', display: 'atorvastatin 20 MG Oral Tablet', dosage: 'Take 1 tablet by mouth at bedtime' }],
    labs: ['2093-3', '18262-6'],
  },
  {
    key: 'asthma', snomed: '195967001', display: 'Asthma', icd10: 'J45.909', icd10Display: 'Unspecified asthma, uncomplicated', ages: 'any',
    medications: [{ rxnorm: '745679', display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', dosage: 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing', paediatricDosage: 'Inhale 1 to 2 puffs through a spacer every 4 to 6 hours as needed' }],
    labs: [], effect: { heartRate: 6 },
  },
  {
    key: 'otitis-media', snomed: '65363002', display: 'Otitis media', icd10: 'H66.90', icd10Display: 'Otitis media, unspecified, unspecified ear', ages: 'child',
    medications: [{ rxnorm: '308182', display: 'amoxicillin 250 MG Oral Capsule', dosage: 'Take 1 capsule by mouth three times daily for 10 days', paediatricDosage: 'Weight-based: 80–90 mg/kg/day divided twice daily for 10 days (pharmacy to compound suspension)' }],
    labs: [], effect: { heartRate: 8 },
  },
  {
    key: 'allergic-rhinitis', snomed: '61582004', display: 'Allergic rhinitis', icd10: 'J30.9', icd10Display: 'Allergic rhinitis, unspecified', ages: 'any',
    medications: [{ rxnorm: '311372', display: 'loratadine 10 MG Oral Tablet', dosage: 'Take 1 tablet by mouth once daily', paediatricDosage: 'Age 6 and over: 1 tablet once daily; under 6: 5 mg syrup once daily' }],
    labs: [],
  },
  {
    key: 'depression', snomed: '370143000', display: 'Major depressive disorder', icd10: 'F32.9', icd10Display: 'Major depressive disorder, single episode, unspecified', ages: 'adult',
    medications: [{ rxnorm: '312940', display: 'sertraline 50 MG Oral Tablet', dosage: 'Take 1 tablet by mouth once daily' }],
    labs: [],
  },
  {
    key: 'osteoarthritis-knee', snomed: '239873007', display: 'Osteoarthritis of knee', icd10: 'M17.9', icd10Display: 'Osteoarthritis of knee, unspecified', ages: 'adult',
    medications: [{ rxnorm: '849574', display: 'naproxen sodium 220 MG Oral Tablet', dosage: 'Take 1 tablet by mouth every 8 to 12 hours with food as needed for pain' }],
    labs: [],
  },
];

export const CONDITION_KEYS = CONDITIONS.map((c) => c.key);

export interface ObservationCode {
  loinc: string;
  display: string;
  unit: string;
  ucum: string;
  category: 'vital-signs' | 'laboratory';
  decimals: number;
}

/** Vital signs (the FHIR vital signs profile's LOINC codes) and the labs conditions ask for. */
export const OBSERVATIONS: Record<string, ObservationCode> = {
  '8867-4': { loinc: '8867-4', display: 'Heart rate', unit: 'beats/minute', ucum: '/min', category: 'vital-signs', decimals: 0 },
  '9279-1': { loinc: '9279-1', display: 'Respiratory rate', unit: 'breaths/minute', ucum: '/min', category: 'vital-signs', decimals: 0 },
  '85354-9': { loinc: '85354-9', display: 'Blood pressure panel with all children optional', unit: 'mmHg', ucum: 'mm[Hg]', category: 'vital-signs', decimals: 0 },
  '8310-5': { loinc: '8310-5', display: 'Body temperature', unit: '°C', ucum: 'Cel', category: 'vital-signs', decimals: 1 },
  '29463-7': { loinc: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', category: 'vital-signs', decimals: 1 },
  '8302-2': { loinc: '8302-2', display: 'Body height', unit: 'cm', ucum: 'cm', category: 'vital-signs', decimals: 1 },
  '59408-5': { loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%', category: 'vital-signs', decimals: 0 },
  '39156-5': { loinc: '39156-5', display: 'Body mass index (BMI) [Ratio]', unit: 'kg/m2', ucum: 'kg/m2', category: 'vital-signs', decimals: 1 },
  '4548-4': { loinc: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', ucum: '%', category: 'laboratory', decimals: 1 },
  '2339-0': { loinc: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mg/dL', ucum: 'mg/dL', category: 'laboratory', decimals: 0 },
  '2093-3': { loinc: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', category: 'laboratory', decimals: 0 },
  '18262-6': { loinc: '18262-6', display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', unit: 'mg/dL', ucum: 'mg/dL', category: 'laboratory', decimals: 0 },
};

/** Blood pressure components. */
export const BP = { systolic: { loinc: '8480-6', display: 'Systolic blood pressure' }, diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure' } };

/** The order an encounter's observations take: the n-th observation of an encounter measures VITALS_ORDER[n]. */
export const VITALS_ORDER = ['8867-4', '85354-9', '9279-1', '8310-5', '59408-5', '29463-7', '8302-2', '39156-5'];

/** SNOMED CT encounter types (as Synthea uses them) with their v3 ActCode class. */
export const ENCOUNTER_TYPES = [
  { snomed: '185349003', display: 'Encounter for check up', actClass: 'AMB', minutes: 30 },
  { snomed: '390906007', display: 'Follow-up encounter', actClass: 'AMB', minutes: 20 },
  { snomed: '185345009', display: 'Encounter for symptom', actClass: 'AMB', minutes: 25 },
  { snomed: '50849002', display: 'Emergency room admission', actClass: 'EMER', minutes: 180 },
  { snomed: '410620009', display: 'Well child visit', actClass: 'AMB', minutes: 30 },
] as const;

export const SPECIALTIES = [
  { snomed: '419772000', display: 'Family practice' },
  { snomed: '394537008', display: 'Paediatric specialty' },
  { snomed: '394579002', display: 'Cardiology' },
  { snomed: '394583002', display: 'Endocrinology' },
  { snomed: '394801008', display: 'Trauma and orthopaedics' },
  { snomed: '394587001', display: 'Psychiatry' },
] as const;
