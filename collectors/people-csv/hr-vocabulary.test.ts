import { describe, expect, it } from 'vitest'
import { classifyHrWord } from './hr-vocabulary.js'

describe('classifyHrWord: the status words HR exports write', () => {
  it.each([
    // BambooHR Status and Employment Status
    ['Active', { status: 'active' }], ['Inactive', { status: 'terminated' }], ['Terminated', { status: 'terminated' }],
    ['Full-Time', { employmentType: 'employee' }], ['Part-Time', { employmentType: 'employee' }], ['Contractor', { employmentType: 'contractor' }],
    ['Intern', { employmentType: 'employee' }],
    // Rippling roleState
    ['INIT', { status: 'active' }], ['HIRED', { status: 'active' }], ['ACCEPTED', { status: 'active' }], ['ACTIVE', { status: 'active' }], ['TERMINATED', { status: 'terminated' }],
    // Gusto
    ['Onboarding', { status: 'active' }], ['Dismissed', { status: 'terminated' }], ['Salary/No overtime', { employmentType: 'employee' }], ['Hourly/Eligible for overtime', { employmentType: 'employee' }],
    // Workday
    ['On Leave', { status: 'suspended' }], ['Pre-Hire', { status: 'active' }], ['Contingent Worker', { employmentType: 'contractor' }],
    // HiBob
    ['Employed', { status: 'active' }], ['Garden leave', { status: 'suspended' }],
    // Personio
    ['leave', { status: 'suspended' }], ['inactive', { status: 'terminated' }], ['onboarding', { status: 'active' }],
    // Deel
    ['Offboarding', { status: 'active' }], ['EOR', { employmentType: 'employee' }],
    // combined cells
    ['Active - Full Time', { status: 'active', employmentType: 'employee' }], ['Terminated (Voluntary)', { status: 'terminated' }],
  ])('should read %s', (word, expected) => {
    expect(classifyHrWord(word)).toEqual(expected)
  })

  it('should not guess at a word it does not know', () => {
    expect(classifyHrWord('Sabbatical Pending')).toBeUndefined()
    expect(classifyHrWord('Wizard')).toBeUndefined()
    expect(classifyHrWord('   ')).toBeUndefined()
  })
})
