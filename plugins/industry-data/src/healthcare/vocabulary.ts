// Healthcare words for clinical notes and appointment descriptions: findings and plans per
// encounter kind, written as a clinician's short note (no Lorem Ipsum, no real patient).
import type { Vocabulary } from '../text/template.js';

export const CLINICAL_WORDS: Vocabulary = {
  general: ['Alert and oriented, in no acute distress', 'Well appearing', 'Comfortable at rest', 'Pleasant and cooperative'],
  chest: ['lungs clear to auscultation bilaterally', 'mild expiratory wheeze, no accessory muscle use', 'heart regular rate and rhythm, no murmurs'],
  plan: ['continue current medication', 'review in three months', 'repeat labs before next visit', 'lifestyle advice given on diet and activity', 'return if symptoms worsen'],
  childPlan: ['growth and development on track', 'immunisations up to date', 'parent counselled on fever management', 'review at next well-child visit'],
  complaint: ['cough for five days', 'intermittent headaches', 'knee pain on stairs', 'fatigue', 'ear pain since yesterday', 'seasonal sneezing and itchy eyes', 'routine review'],
};

export const NOTE_TEMPLATES = {
  adult: [
    '{age}-year-old {sex} seen for {reason}. {general}; {chest}. Plan: {plan}.',
    '{reason}: {age}-year-old {sex} reports {complaint}. {general}. Plan: {plan}; {plan2}.',
  ],
  child: [
    '{age}-year-old {sex} brought in by a parent for {reason}. {general}; {chest}. Plan: {childPlan}.',
    'Paediatric visit ({reason}) for a {age}-year-old {sex}: {complaint}. {general}. Plan: {childPlan}.',
  ],
} as const;

export const APPOINTMENT_TEMPLATES = ['Follow-up: {condition}', 'Annual review', 'Medication review – {condition}', '[Blood pressure|Weight|Asthma] check', 'New patient consultation'];
