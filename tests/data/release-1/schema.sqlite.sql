-- The schema as the first release created it (metadata.create_all).
CREATE TABLE workshops (
	id INTEGER NOT NULL, 
	facilitator_token VARCHAR(64) NOT NULL, 
	join_code VARCHAR(32) NOT NULL, 
	client VARCHAR(200) NOT NULL, 
	questionnaire_id VARCHAR(64) NOT NULL, 
	questionnaire_version VARCHAR(40) NOT NULL, 
	roles JSON NOT NULL, 
	anonymous BOOLEAN NOT NULL, 
	closes_at DATETIME, 
	closed_at DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (facilitator_token), 
	UNIQUE (join_code)
);

CREATE TABLE assessments (
	id INTEGER NOT NULL, 
	token VARCHAR(64) NOT NULL, 
	questionnaire_id VARCHAR(64) NOT NULL, 
	questionnaire_version VARCHAR(40) NOT NULL, 
	organisation VARCHAR(200) NOT NULL, 
	role VARCHAR(60), 
	targets JSON NOT NULL, 
	workshop_id INTEGER, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (token), 
	FOREIGN KEY(workshop_id) REFERENCES workshops (id) ON DELETE CASCADE
);

CREATE INDEX ix_assessments_workshop ON assessments (workshop_id);

CREATE TABLE consensus (
	id INTEGER NOT NULL, 
	workshop_id INTEGER NOT NULL, 
	question_id VARCHAR(120) NOT NULL, 
	value JSON, 
	note TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_consensus_workshop_question UNIQUE (workshop_id, question_id), 
	FOREIGN KEY(workshop_id) REFERENCES workshops (id) ON DELETE CASCADE
);

CREATE TABLE answers (
	id INTEGER NOT NULL, 
	assessment_id INTEGER NOT NULL, 
	question_id VARCHAR(120) NOT NULL, 
	value JSON, 
	note TEXT NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_answers_assessment_question UNIQUE (assessment_id, question_id), 
	FOREIGN KEY(assessment_id) REFERENCES assessments (id) ON DELETE CASCADE
);
