import { peopleInit } from './migrations/202611250410_people_init.js';
export const peopleMigrations = [peopleInit];
